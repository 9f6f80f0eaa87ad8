import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SatelliteServer } from './satellite-server';

// The cloud's API as its clients reach it: the real curl, over the satellite's HTTPS listener,
// trusting only the CA chain --tls-ca-file wrote.

export const CURL = { command: 'curl', install: 'apt-get install curl' };

export interface CurlReply {
  status: number;
  contentType: string;
  body: Buffer;
  json<T = Record<string, unknown>>(): T;
}

export type CloudCurl = (method: string, path: string, body?: unknown, auth?: 'key' | 'bearer') => CurlReply;

/** A curl bound to `sat` (started with tls: true), keeping its files in `dir`. */
export function cloudCurl(sat: () => SatelliteServer, dir: string): CloudCurl {
  return (method, path, body, auth = 'key') => {
    const server = sat();
    const args = ['-sS', '--max-time', '60', '--cacert', server.tlsCaFile!, '-X', method, '-o', join(dir, 'out'), '-w', '%{http_code} %{content_type}'];
    args.push('-H', auth === 'key' ? `tppl-api-key: ${server.apiKey}` : `Authorization: Bearer ${server.apiKey}`);
    if (body !== undefined) {
      writeFileSync(join(dir, 'body.json'), JSON.stringify(body));
      args.push('-H', 'content-type: application/json', '--data-binary', `@${join(dir, 'body.json')}`);
    }
    const r = spawnSync('curl', [...args, `${server.url}${path}`], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`curl ${method} ${path} failed: ${r.stderr}`);
    const [status, contentType = ''] = r.stdout.split(' ');
    const bytes = readFileSync(join(dir, 'out'));
    return { status: Number(status), contentType, body: bytes, json: <T,>() => JSON.parse(bytes.toString('utf8')) as T };
  };
}
