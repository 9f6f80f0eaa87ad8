import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { isCloudErrorBody, rawRequest, rawSocketRequest, type RawRequest, type RawResponse } from '../../src/main/api/testing/http';
import { startSatelliteServer, type SatelliteServer } from '../helpers/satellite-server';
import { describeWithTools } from '../helpers/tools';

// At least 500 malformed or hostile requests against the real headless satellite: each must get
// a 4xx in the cloud's error shape, the satellite must keep serving, and the inventory must not
// change. Requests that present wrong credentials come from 127.0.0.2 (all of 127/8 is loopback
// on Linux), so the failed-authentication limit they trip does not lock out the good client.

const UUID = '3e191f90-4737-11ec-a491-150fc62378e9';
const HOSTILE_ADDRESS = '127.0.0.2';

interface Case {
  name: string;
  send: (sat: SatelliteServer) => Promise<RawResponse>;
}

const seed = (appId: string, templateId: string): Record<string, unknown> => ({
  isVaaSGenerated: true,
  applicationId: appId,
  certificateIssuingTemplateId: templateId,
  validityPeriod: 'P7D',
  csrAttributes: {
    commonName: 'ask.venafi.example',
    organization: 'Venafi, Inc.',
    organizationalUnits: ['Quality Assurance'],
    country: 'US',
    subjectAlternativeNamesByType: { dnsNames: ['ask.venafi.example'] },
    keyTypeParameters: { keyType: 'RSA', keyLength: 2048 },
  },
});

/** A copy of `body` with the value at `path` replaced (or removed when value is `REMOVE`). */
const REMOVE = Symbol('remove');
function withValue(body: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(body);
  let node = copy as Record<string, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  if (value === REMOVE) delete node[path.at(-1)!];
  else node[path.at(-1)!] = value;
  return copy;
}

interface UiSession {
  /** The x-satellite-session header's value. */
  token: string;
}

/** encodeURIComponent, except that a lone surrogate becomes its (invalid) 3-byte UTF-8 form instead of throwing. */
function percentEncode(text: string): string {
  return [...text]
    .map((c) => {
      const u = c.charCodeAt(0);
      if (c.length > 1 || u < 0xd800 || u > 0xdfff) return encodeURIComponent(c);
      return [0xe0 | (u >> 12), 0x80 | ((u >> 6) & 0x3f), 0x80 | (u & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    })
    .join('');
}

function buildCases(appId: string, templateId: string, ui: UiSession): Case[] {
  const cases: Case[] = [];
  const good = seed(appId, templateId);
  const key = (sat: SatelliteServer) => ({ 'tppl-api-key': sat.apiKey });
  const json = { 'content-type': 'application/json' };
  const add = (name: string, req: (sat: SatelliteServer) => RawRequest) => cases.push({ name, send: (sat) => rawRequest(sat.url, req(sat)) });
  const post = (name: string, path: string, body: string | Buffer, headers: Record<string, string> = json) =>
    add(name, (sat) => ({ method: 'POST', path, headers: { ...key(sat), ...headers }, body }));
  const REQUESTS = '/outagedetection/v1/certificaterequests';
  const KEYSTORE = `/outagedetection/v1/certificates/${UUID}/keystore`;

  // 1. Broken JSON.
  const text = JSON.stringify(good);
  for (let cut = 1; cut < text.length; cut += Math.ceil(text.length / 40)) post(`truncated JSON at ${cut}`, REQUESTS, text.slice(0, cut));
  for (const broken of ['{', '[', '}', 'nul', 'tru', '{"a":}', '{"a":1,}', "{'a':1}", '{"a":NaN}', '{"a":Infinity}', '{"a":undefined}', '{a:1}', '"', '\\', '{"a":"\\x41"}', '{"a":"\\u12"}', '{"a" 1}', '{"a":1}}', '[1,2', '{"a":01}', '\u0000', '\ufeff\ufeff{}', '{"a":1e999999}x', `${'['.repeat(5000)}${']'.repeat(4999)}`]) {
    post(`broken JSON ${JSON.stringify(broken.slice(0, 20))}`, REQUESTS, broken);
  }
  for (const b of ['null', '[]', '1', '"text"', 'true', '{}', `[${text}]`]) post(`JSON that is not the body object: ${b.slice(0, 20)}`, REQUESTS, b);
  post('prototype pollution __proto__', REQUESTS, '{"__proto__":{"isAdmin":true},"applicationId":1}');
  post('prototype pollution constructor', REQUESTS, '{"constructor":{"prototype":{"isAdmin":true}}}');

  // 2. Wrong types and values, field by field (each alone makes the body invalid).
  const wrong: [string[], unknown[]][] = [
    [['applicationId'], [123, null, [], {}, true, '', 'not-a-uuid', '785a6260-28f5-11eb-804b-6769144073a', '\u0667\u0668\u0665a6260-28f5-11eb-804b-6769144073a1', REMOVE]],
    [['certificateIssuingTemplateId'], [7, null, ['x'], {}, false, '', 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz', '１１a0c6e2-28f5-11eb-999a-4d91b3bd6de9', REMOVE]],
    [['validityPeriod'], [7, 'P', 'P0D', '7 days', 'P７D', '-P7D', 'PT', null, [], 'P7D\u0000']],
    [['isVaaSGenerated'], ['yes', 1, null, [], {}]],
    [['csrAttributes'], ['x', 5, [], null, true, REMOVE]],
    [['csrAttributes', 'commonName'], ['', 5, null, [], {}, REMOVE]],
    [['csrAttributes', 'organizationalUnits'], ['QA', 5, [1], [null], {}]],
    [['csrAttributes', 'subjectAlternativeNamesByType'], ['x', 5, [], null]],
    [['csrAttributes', 'subjectAlternativeNamesByType', 'dnsNames'], ['x', 5, [1], [null], [{}], {}]],
    [['csrAttributes', 'keyTypeParameters'], ['RSA', 5, [], null, { keyType: 'DSA' }, { keyType: 'RSA', keyLength: 1024 }, { keyType: 'RSA', keyLength: '2048' }, { keyType: 'EC', keyCurve: 'P999' }, { keyType: 'RSA\u200b' }, { keyType: 'rsa' }, {}]],
    [['tags'], ['x', 5, [1], [null], {}]],
    [['apiClientInformation'], ['x', 5, [], { type: 5 }]],
    [['existingCertificateId'], ['x', 5, null, []]],
    [['certificateSigningRequest'], [5, null, [], {}]],
  ];
  for (const [path, values] of wrong) {
    for (const value of values) post(`${path.join('.')} = ${value === REMOVE ? '(removed)' : JSON.stringify(value)}`, REQUESTS, JSON.stringify(withValue(good, path, value)));
  }
  post('CSR and isVaaSGenerated both', REQUESTS, JSON.stringify({ ...good, certificateSigningRequest: '-----BEGIN CERTIFICATE REQUEST-----' }));
  post('neither CSR nor isVaaSGenerated', REQUESTS, JSON.stringify(withValue(good, ['isVaaSGenerated'], REMOVE)));
  for (const body of [
    { exportFormat: 'ZIP', encryptedPrivateKeyPassphrase: 'AAAA', certificateLabel: 'x' },
    { exportFormat: 'PKCS12', certificateLabel: 'x' },
    { exportFormat: 'PKCS12', encryptedPrivateKeyPassphrase: 'not base64 !!!', certificateLabel: 'x' },
    { exportFormat: 'PKCS12', encryptedPrivateKeyPassphrase: 5, certificateLabel: 'x' },
    { exportFormat: 'PKCS12', encryptedPrivateKeyPassphrase: 'AAAA', certificateLabel: 5 },
    { exportFormat: 'PKCS12', encryptedPrivateKeyPassphrase: 'AAAA', certificateLabel: 'x', pkcs12Profile: 'LEGACY' },
    { exportFormat: 'PKCS１２', encryptedPrivateKeyPassphrase: 'AAAA', certificateLabel: 'x' },
    { exportFormat: 'JKS', encryptedPrivateKeyPassphrase: 'A'.repeat(9000), certificateLabel: 'x' },
  ]) {
    post(`keystore body ${JSON.stringify(body).slice(0, 60)}`, KEYSTORE, JSON.stringify(body));
  }
  for (const body of [{ expression: { field: 'password', operator: 'EQ', value: 'x' } }, { expression: { field: 'subjectCN', operator: 'DROP', value: 'x' } }, { paging: { pageSize: 100000 } }, { paging: { pageNumber: -1 } }, { ordering: { orders: 'x' } }, { expression: 5 }]) {
    post(`search body ${JSON.stringify(body).slice(0, 60)}`, '/outagedetection/v1/certificatesearch', JSON.stringify(body));
  }
  for (const q of ['format=XML', 'format=pem', 'chainOrder=ROOT_LAST', 'chainOrder=EE_FIRST&chainOrder=EE_ONLY', 'format=%00', 'format=P%C3%89M']) {
    add(`contents ?${q}`, (sat) => ({ path: `/outagedetection/v1/certificates/${UUID}/contents?${q}`, headers: key(sat) }));
  }

  // 3. Huge bodies.
  for (const mib of [1.1, 2, 4]) post(`${mib} MiB body`, REQUESTS, JSON.stringify({ ...good, tags: ['x'.repeat(Math.ceil(mib * 1024 * 1024))] }));
  post('1.5 MiB of spaces', REQUESTS, ' '.repeat(1.5 * 1024 * 1024));
  post('declared 100 MB body', REQUESTS, '{}', { ...json, 'content-length': String(100 * 1024 * 1024) });
  post('2 MiB keystore body', KEYSTORE, JSON.stringify({ certificateLabel: 'y'.repeat(2 * 1024 * 1024) }));
  add('2 MiB body to the web UI rpc', () => ({ method: 'POST', path: '/ui/rpc/listApplications', headers: json, body: 'x'.repeat(2 * 1024 * 1024) }));

  // 4. Missing or wrong key, from the hostile address.
  const keyed = (name: string, headers: Record<string, string>, path = '/v1/useraccounts') =>
    cases.push({ name, send: (sat) => rawRequest(sat.url, { path, headers, localAddress: HOSTILE_ADDRESS }) });
  const keyPaths = ['/v1/useraccounts', '/outagedetection/v1/applications', `/outagedetection/v1/certificaterequests/${UUID}`, '/v1/edgeinstances', `/v1/edgeencryptionkeys/abc`, '/v1/certificateissuingtemplates'];
  for (const path of keyPaths) {
    keyed(`no key ${path}`, {}, path);
    keyed(`empty key ${path}`, { 'tppl-api-key': '' }, path);
    keyed(`wrong key ${path}`, { 'tppl-api-key': 'ks_wrong' }, path);
    keyed(`key in another header ${path}`, { authorization: 'Bearer ks_wrong' }, path);
  }
  cases.push(
    { name: 'key plus one character', send: (sat) => rawRequest(sat.url, { path: '/v1/useraccounts', headers: { 'tppl-api-key': `${sat.apiKey}x` }, localAddress: HOSTILE_ADDRESS }) },
    { name: 'key prefix', send: (sat) => rawRequest(sat.url, { path: '/v1/useraccounts', headers: { 'tppl-api-key': sat.apiKey.slice(0, -1) }, localAddress: HOSTILE_ADDRESS }) },
    { name: 'key upper-cased', send: (sat) => rawRequest(sat.url, { path: '/v1/useraccounts', headers: { 'tppl-api-key': sat.apiKey.toUpperCase() }, localAddress: HOSTILE_ADDRESS }) },
    { name: 'key twice', send: (sat) => rawRequest(sat.url, { path: '/v1/useraccounts', headers: { 'tppl-api-key': [sat.apiKey, sat.apiKey] }, localAddress: HOSTILE_ADDRESS }) },
  );
  for (let i = 0; i < 20; i++) keyed(`guess ${i}`, { 'tppl-api-key': `ks_${i.toString(36).padStart(32, 'a')}` });
  keyed('8 KiB key', { 'tppl-api-key': 'k'.repeat(8192) });
  keyed('latin-1 key', { 'tppl-api-key': 'clé-\u00e9\u00ff' });
  for (let i = 0; i < 8; i++) cases.push({ name: `wrong login token ${i}`, send: (sat) => rawRequest(sat.url, { method: 'POST', path: '/ui/session', headers: json, body: JSON.stringify(i % 2 ? { token: `guess${i}` } : { apiKey: `guess${i}` }), localAddress: HOSTILE_ADDRESS }) });
  for (const session of ['forged', '%00%ff', 'a'.repeat(4000)]) {
    cases.push({ name: `forged session header ${session.slice(0, 30)}`, send: (sat) => rawRequest(sat.url, { method: 'POST', path: '/ui/rpc/listApplications', headers: { ...json, 'x-satellite-session': session }, body: '{}', localAddress: HOSTILE_ADDRESS }) });
  }

  // 5. Foreign Host (DNS rebinding).
  const hosts = (port: string) => ['evil.example', `evil.example:${port}`, `127.0.0.1:${Number(port) + 1}`, '127.0.0.1', `localhost.evil.example:${port}`, `127.0.0.1.nip.io:${port}`, `0x7f.0.0.1:${port}`, `2130706433:${port}`, `[::ffff:127.0.0.1]:${port}`, `127.0.0.1:${port}@evil.example`, `LOCALHOST.:${port}`, `127.1:${port}`, ' ', `xn--80ak6aa92e.com:${port}`, `0.0.0.0:${port}`];
  for (let i = 0; i < 15; i++) {
    for (const path of ['/v1/useraccounts', '/', '/openapi.json']) {
      add(`foreign Host #${i} ${path}`, (sat) => ({ path, headers: { ...key(sat), host: hosts(new URL(sat.url).port)[i]! } }));
    }
  }

  // 6. Foreign Origin.
  const origins = (url: string) => ['http://evil.example', 'null', url.replace('http:', 'https:'), url.replace(/:(\d+)$/, (_m, p: string) => `:${Number(p) + 1}`), 'file://', 'chrome-extension://abcdef', `${url}.evil.example`, 'http://localhost', `${url}/`, 'http://127.0.0.1'];
  for (let i = 0; i < 10; i++) {
    add(`foreign Origin #${i} GET`, (sat) => ({ path: '/v1/useraccounts', headers: { ...key(sat), origin: origins(sat.url)[i]! } }));
    add(`foreign Origin #${i} POST`, (sat) => ({ method: 'POST', path: REQUESTS, headers: { ...key(sat), ...json, origin: origins(sat.url)[i]! }, body: JSON.stringify(good) }));
    add(`foreign Origin #${i} UI rpc`, (sat) => ({ method: 'POST', path: '/ui/rpc/requestCertificate', headers: { ...json, origin: origins(sat.url)[i]! }, body: JSON.stringify(good) }));
  }

  // 7. Path tricks.
  const tricks = [
    '/../secret.txt', '/../../etc/passwd.txt', '/%2e%2e/secret.txt', '/%2E%2E/%2E%2E/secret.txt', '/..%2fsecret.txt', '/..%2Fsecret.txt', '/%2fetc%2fpasswd.txt',
    '/.%2e/secret.txt', '/%2e./secret.txt', '/..%5csecret.txt', '/..\\secret.txt', '/assets/..\\..\\secret.txt', '/%c0%ae%c0%ae/secret.txt', '/%c0%af../secret.txt',
    '/%252e%252e/%252e%252e/secret.txt', '/%00', '/index.html%00.js', '/%00/../secret.txt', '/./secret.txt', '/assets/./../../secret.txt', '/%e0%80%ae%e0%80%ae/secret.txt',
    '/assets/%2e%2e/%2e%2e/%2e%2e/etc/passwd.txt', '/%5c..%5c..%5csecret.txt', '/....//....//secret.txt.js', '/%u002e%u002e/secret.txt', '/%ff%fe/secret.txt', '/%', '/%zz', '/%e2%82',
  ];
  for (const path of tricks) add(`path trick ${path}`, () => ({ path }));
  const apiTricks = [
    `/outagedetection/v1/certificaterequests/..%2f..%2f..%2fsecret.txt`, `/outagedetection/v1/certificates/..%2f..%2f/contents`, `/outagedetection/v1/certificates/${UUID}%2f..%2f..%2fcontents`,
    '/outagedetection/v1/certificaterequests/%00', '/outagedetection/v1/applications/name/%00', `/outagedetection/v1/applications/name/${'x'.repeat(300)}`, '/v1/edgeencryptionkeys/..%2f..%2fsecret',
    '/v1/edgeencryptionkeys/%E2%80%AE', '/outagedetection/v1/certificaterequests/../../../secret.txt', '/outagedetection/v1/nonexistent', '/v1/../../secret.txt', '/v2/useraccounts', '/outagedetection/v2/certificaterequests',
    `/outagedetection/v1/certificaterequests/${percentEncode(UUID.toUpperCase().replace('3', '\uff13'))}`, '/outagedetection/v1/applications/%F0%9F%92%A5', '/outagedetection/v1/applications/%ED%A0%80',
  ];
  for (const path of apiTricks) add(`API path trick ${path.slice(0, 60)}`, (sat) => ({ path, headers: key(sat) }));

  // 8. Odd Unicode, everywhere it cannot be valid.
  const odd = ['\u202e', '\u200b', '\ud800', '\udfff', '\u0000', '\ufffe', 'ＲＳＡ', 'e\u0301', '\u{1f4a5}', '\u0130', 'ß'];
  for (const ch of odd) {
    post(`odd Unicode in applicationId ${JSON.stringify(ch)}`, REQUESTS, JSON.stringify({ ...good, applicationId: `${ch}785a6260-28f5-11eb-804b-6769144073a1` }));
    post(`odd Unicode in keyType ${JSON.stringify(ch)}`, REQUESTS, JSON.stringify(withValue(good, ['csrAttributes', 'keyTypeParameters', 'keyType'], `RSA${ch}`)));
    post(`odd Unicode in validityPeriod ${JSON.stringify(ch)}`, REQUESTS, JSON.stringify({ ...good, validityPeriod: `P7${ch}D` }));
    post(`odd Unicode as a key ${JSON.stringify(ch)}`, REQUESTS, JSON.stringify({ [`applicationId${ch}`]: good.applicationId }));
    add(`odd Unicode in path ${JSON.stringify(ch)}`, (sat) => ({ path: `/outagedetection/v1/certificaterequests/${percentEncode(ch)}`, headers: key(sat) }));
  }
  post('invalid UTF-8 bytes in JSON', REQUESTS, Buffer.concat([Buffer.from('{"applicationId":"'), Buffer.from([0xff, 0xfe, 0xc0, 0xaf]), Buffer.from('"}')]));
  post('UTF-16 body', REQUESTS, Buffer.from(`\ufeff${JSON.stringify(good)}`, 'utf16le'));
  post('overlong UTF-8 quote', REQUESTS, Buffer.concat([Buffer.from('{"applicationId":'), Buffer.from([0xc0, 0xa2]), Buffer.from('x"}')]));

  // 9. Wrong content types.
  for (const type of ['text/plain', 'application/xml', 'text/xml', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'application/jsonx', 'text/json', 'application/json-patch+json', 'application/octet-stream', 'image/png', 'text/html', 'application/javascript', 'application/x-json', ';', 'application/', '*/*']) {
    post(`Content-Type ${type}`, REQUESTS, JSON.stringify(good), { 'content-type': type });
  }
  add('no Content-Type with a JSON body', (sat) => ({ method: 'POST', path: REQUESTS, headers: key(sat), body: JSON.stringify(good) }));
  post('JSON content type with form data', REQUESTS, 'applicationId=1&x=2');

  // 10. Wrong methods.
  const methodCases: [string, string][] = [
    ['PUT', REQUESTS], ['DELETE', REQUESTS], ['PATCH', REQUESTS], ['GET', REQUESTS], ['OPTIONS', REQUESTS],
    ['POST', `/outagedetection/v1/certificaterequests/${UUID}`], ['DELETE', `/outagedetection/v1/certificaterequests/${UUID}`], ['PUT', `/outagedetection/v1/certificates/${UUID}`],
    ['DELETE', `/outagedetection/v1/certificates/${UUID}`], ['POST', `/outagedetection/v1/certificates/${UUID}/contents`], ['GET', KEYSTORE], ['PUT', KEYSTORE],
    ['GET', '/outagedetection/v1/certificatesearch'], ['POST', '/outagedetection/v1/applications'], ['DELETE', '/outagedetection/v1/applications'], ['POST', '/v1/useraccounts'],
    ['POST', '/v1/edgeinstances'], ['POST', '/v1/edgeencryptionkeys/abc'], ['POST', '/v1/certificateissuingtemplates'], ['PATCH', '/v1/certificateissuingtemplates'],
    ['POST', '/openapi.json'], ['DELETE', '/openapi.json'], ['POST', '/ui/login'], ['GET', '/ui/rpc/listApplications'], ['PUT', '/ui/rpc/listApplications'],
    ['GET', '/ui/download/keystore'], ['DELETE', '/'], ['PUT', '/index.html'], ['TRACE', '/'], ['TRACE', '/v1/useraccounts'], ['PROPFIND', '/'], ['OPTIONS', '/v1/useraccounts'],
  ];
  for (const [method, path] of methodCases) add(`${method} ${path}`, (sat) => ({ method, path, headers: { ...key(sat), ...json }, body: method === 'GET' || method === 'TRACE' ? undefined : '{}' }));

  // 11. Malformed HTTP, straight on the socket.
  const raw = (name: string, bytes: (sat: SatelliteServer) => Buffer | string) => cases.push({ name, send: (sat) => rawSocketRequest(sat.url, bytes(sat)) });
  const hostLine = (sat: SatelliteServer) => `Host: ${new URL(sat.url).host}\r\n`;
  raw('garbage request line', () => 'HELLO\r\n\r\n');
  raw('no HTTP version', (sat) => `GET /\r\n${hostLine(sat)}\r\n`);
  raw('HTTP/9.9', (sat) => `GET / HTTP/9.9\r\n${hostLine(sat)}\r\n`);
  raw('header without colon', (sat) => `GET / HTTP/1.1\r\n${hostLine(sat)}Broken header\r\n\r\n`);
  raw('Content-Length and Transfer-Encoding', (sat) => `POST ${REQUESTS} HTTP/1.1\r\n${hostLine(sat)}Content-Type: application/json\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`);
  raw('two Content-Lengths', (sat) => `POST ${REQUESTS} HTTP/1.1\r\n${hostLine(sat)}Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}`);
  raw('negative Content-Length', (sat) => `POST ${REQUESTS} HTTP/1.1\r\n${hostLine(sat)}Content-Length: -1\r\n\r\n`);
  raw('32 KiB of headers', (sat) => `GET / HTTP/1.1\r\n${hostLine(sat)}X-Big: ${'a'.repeat(32 * 1024)}\r\n\r\n`);
  raw('raw non-ASCII in the path', (sat) => Buffer.concat([Buffer.from('GET /\xff\xfe/secret.txt HTTP/1.1\r\n', 'latin1'), Buffer.from(hostLine(sat)), Buffer.from('Connection: close\r\n\r\n')]));
  raw('NUL in the path', (sat) => `GET /a\u0000b HTTP/1.1\r\n${hostLine(sat)}\r\n`);
  raw('bad chunked body', (sat) => `POST ${REQUESTS} HTTP/1.1\r\n${hostLine(sat)}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n`);
  raw('absolute-form foreign URL', () => `GET http://evil.example/v1/useraccounts HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n`);
  raw('HTTP/1.0 without Host', () => 'GET /v1/useraccounts HTTP/1.0\r\n\r\n');
  raw('HTTP/1.1 without Host', () => 'GET /v1/useraccounts HTTP/1.1\r\nConnection: close\r\n\r\n');

  // 12. The web UI's calls: the session missing, wrong, or sent as a cookie; and with a real session, unknown methods and bad input.
  const uiPost = (name: string, path: string, body: string, headers: Record<string, string>) => add(name, () => ({ method: 'POST', path, headers: { ...json, ...headers }, body }));
  for (const method of ['listApplications', 'requestCertificate', 'rotateApiKey', 'deleteCertificate', 'saveApplication', 'getApiKey']) {
    uiPost(`UI ${method} without the session header`, `/ui/rpc/${method}`, '{}', {});
    uiPost(`UI ${method} with a wrong session header`, `/ui/rpc/${method}`, '{}', { 'x-satellite-session': `${ui.token}x` });
    uiPost(`UI ${method} with the session as a cookie`, `/ui/rpc/${method}`, '{}', { cookie: `satellite_session=${ui.token}; x-satellite-session=${ui.token}` });
  }
  const withSession = { 'x-satellite-session': ui.token };
  for (const method of ['__proto__', 'constructor', 'hasOwnProperty', 'close', 'verifyApiKey', 'openSealedPassphrase', 'exportKeystore', '%F0%9F%92%A5', 'listApplications%00', 'LISTAPPLICATIONS']) {
    uiPost(`UI unknown method ${method}`, `/ui/rpc/${method}`, '{}', withSession);
  }
  const badInputs: [string, unknown][] = [
    ['getCertificateRequest', { id: 'x' }], ['getCertificate', {}], ['deleteCertificate', { id: 5 }], ['revokeCertificate', { id: UUID, reason: 'because' }],
    ['requestCertificate', {}], ['requestCertificate', { ...good, applicationId: 'x' }], ['saveApplication', { name: '' }], ['saveIssuingTemplate', { name: 'x' }],
    ['importCertificate', { applicationId: 'x' }], ['importIssuedCertificate', { pem: '' }], ['searchCertificates', { paging: { pageSize: 0 } }], ['getCertificateText', { id: UUID, chainOrder: 'x' }],
    ['deleteApplication', { id: '../../' }], ['listApplications', []],
  ];
  for (const [method, input] of badInputs) uiPost(`UI ${method} bad input ${JSON.stringify(input).slice(0, 40)}`, `/ui/rpc/${method}`, JSON.stringify(input), withSession);
  uiPost('UI download certificate bad input', '/ui/download/certificate', JSON.stringify({ id: UUID, format: 'XML' }), withSession);
  uiPost('UI download keystore short passphrase', '/ui/download/keystore', JSON.stringify({ id: UUID, exportFormat: 'PKCS12', privateKeyPassphrase: 'short', certificateLabel: 'x' }), withSession);
  uiPost('UI download keystore broken JSON', '/ui/download/keystore', '{"id":', withSession);
  uiPost('UI rpc text/plain', '/ui/rpc/listApplications', '{}', { ...withSession, 'content-type': 'text/plain' });

  return cases;
}

function isForeignAddressUsable(): Promise<boolean> {
  // 127.0.0.2 answers on Linux; elsewhere the credential cases would lock out the good client.
  return new Promise((resolve) => {
    import('node:net').then(({ createServer }) => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen(0, HOSTILE_ADDRESS, () => s.close(() => resolve(true)));
    }, () => resolve(false));
  });
}

describeWithTools([])('REST API under 500+ malformed and hostile requests', () => {
  let sat: SatelliteServer;
  let scratch: string;
  let appId: string;
  let templateId: string;
  let ui: UiSession;

  const get = (path: string) => rawRequest(sat.url, { path, headers: { 'tppl-api-key': sat.apiKey } });
  const inventory = async () => {
    const res = await rawRequest(sat.url, { method: 'POST', path: '/outagedetection/v1/certificatesearch', headers: { 'tppl-api-key': sat.apiKey, 'content-type': 'application/json' }, body: '{}' });
    expect(res.status, res.text()).toBe(200);
    return (res.json() as { count: number }).count;
  };

  beforeAll(async () => {
    expect(await isForeignAddressUsable(), `${HOSTILE_ADDRESS} must be a usable loopback address (Linux)`).toBe(true);
    scratch = mkdtempSync(join(tmpdir(), 'ks-api-hostile-'));
    mkdirSync(join(scratch, 'web', 'assets'), { recursive: true });
    writeFileSync(join(scratch, 'web', 'index.html'), '<!doctype html><title>Keypair Satellite</title>');
    writeFileSync(join(scratch, 'secret.txt'), 'TOP-SECRET-OUTSIDE-WEB-ROOT');
    sat = await startSatelliteServer({ webRoot: join(scratch, 'web') });
    const apps = (await get('/outagedetection/v1/applications')).json() as { applications: { id: string; certificateIssuingTemplateAliasIdMap: Record<string, string> }[] };
    appId = apps.applications[0]!.id;
    templateId = Object.values(apps.applications[0]!.certificateIssuingTemplateAliasIdMap)[0]!;
    const login = await rawRequest(sat.url, { method: 'POST', path: '/ui/session', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: sat.loginToken }) });
    expect(login.status, login.text()).toBe(201);
    expect(login.headers['set-cookie']).toBeUndefined();
    ui = { token: (login.json() as { sessionToken: string }).sessionToken };
  });
  afterAll(async () => {
    await sat?.kill();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('answers each with a 4xx in the cloud shape, keeps serving, and leaves the inventory unchanged', async () => {
    const before = await inventory();
    const cases = buildCases(appId, templateId, ui);
    expect(cases.length).toBeGreaterThanOrEqual(500);

    const failures: string[] = [];
    const BATCH = 16;
    for (let i = 0; i < cases.length; i += BATCH) {
      const batch = cases.slice(i, i + BATCH);
      const answers = await Promise.allSettled(batch.map(async (c) => c.send(sat)));
      answers.forEach((a, j) => {
        const name = batch[j]!.name;
        if (a.status === 'rejected') return failures.push(`${name}: no answer (${String(a.reason)})`);
        const res = a.value;
        let body: unknown;
        try {
          body = res.json();
        } catch {
          body = undefined;
        }
        if (res.status < 400 || res.status > 499) failures.push(`${name}: HTTP ${res.status} ${res.text().slice(0, 120)}`);
        else if (!isCloudErrorBody(body)) failures.push(`${name}: HTTP ${res.status} body not in the cloud shape: ${res.text().slice(0, 120)}`);
        else if (/statusCode|"stack"| {4}at /.test(res.text())) failures.push(`${name}: framework body or stack trace: ${res.text().slice(0, 120)}`);
        else if (res.text().includes('TOP-SECRET')) failures.push(`${name}: served a file outside the web root`);
        else if (Object.keys(res.headers).some((h) => h.startsWith('access-control-'))) failures.push(`${name}: CORS header`);
      });
    }
    expect(failures, failures.join('\n')).toEqual([]);

    // Still serving, the inventory as it was.
    expect((await get('/v1/useraccounts')).status).toBe(200);
    expect((await get('/outagedetection/v1/applications')).status).toBe(200);
    expect(await inventory()).toBe(before);
    // The right key from the hostile address is still accepted: failures count against the wrong
    // credentials, never the address (every local program is 127.0.0.1).
    const held = await rawRequest(sat.url, { path: '/v1/useraccounts', headers: { 'tppl-api-key': sat.apiKey }, localAddress: HOSTILE_ADDRESS });
    expect(held.status).toBe(200);
    expect(sat.child.exitCode).toBeNull();
  });
});
