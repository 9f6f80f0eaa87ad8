"""POST a large JSON body to the satellite with requests (what vcert-python uses) and print what
came back as one JSON line: {"status": ..., "body": ...} or {"error": "<exception>: <message>"}.

usage: post_large_body.py URL API_KEY CA_FILE MIB (length|chunked)
"""
import json
import sys

import requests

url, api_key, ca_file, mib, framing = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), sys.argv[5]
size = int(mib * 1024 * 1024)
head, tail = b'{"tags":["', b'"]}'


def chunks():
    yield head
    left = size
    while left > 0:
        n = min(left, 64 * 1024)
        yield b'x' * n
        left -= n
    yield tail


body = chunks() if framing == 'chunked' else head + b'x' * size + tail
try:
    r = requests.post(url, data=body, verify=ca_file, timeout=60,
                      headers={'tppl-api-key': api_key, 'content-type': 'application/json'})
    print(json.dumps({'status': r.status_code, 'body': r.text}))
except Exception as e:  # the failure itself is what the test reports
    print(json.dumps({'error': f'{type(e).__name__}: {e}'}))
