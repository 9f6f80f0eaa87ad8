import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../shared/error-codes';
import { SatelliteError } from '../core/common/errors';
import { silentLogger } from '../core/common/log';
import { createApiServer, type ApiServer } from './server';
import { FakeSatelliteService, fakeSeal } from './testing/fake-service';
import { isCloudErrorBody, rawRequest, rawSocketRequest, type RawResponse } from './testing/http';
import { SEED_RESPONSE_FIELDS, SEED_SAN_FIELDS, seedRequestBody } from '../../../test/helpers/seed-request';

const SEED_BODY = seedRequestBody(
  { applicationId: '785a6260-28f5-11eb-804b-6769144073a1', certificateIssuingTemplateId: '11a0c6e2-28f5-11eb-999a-4d91b3bd6de9', applicationServerTypeId: '784938d1-ef0d-11eb-9461-7bb533ba575b' },
  ['www.ask.venafi.example', 'ask.venafi.example'],
);


let service: FakeSatelliteService;
let server: ApiServer;
let url: string;
let webRoot: string;
let scratch: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'ks-api-spec-'));
  webRoot = join(scratch, 'web');
  mkdirSync(join(webRoot, 'assets'), { recursive: true });
  writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>Keypair Satellite</title>');
  writeFileSync(join(webRoot, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(scratch, 'secret.txt'), 'TOP-SECRET-OUTSIDE-WEB-ROOT');
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

beforeEach(async () => {
  service = new FakeSatelliteService();
  server = createApiServer(service, { host: '127.0.0.1', port: 0, webRoot, log: silentLogger, bodyLimitBytes: 64 * 1024 });
  url = await server.listen();
});
afterEach(async () => {
  await server.close();
});

const key = () => ({ 'tppl-api-key': service.apiKey });
const json = { 'content-type': 'application/json' };
const req = (method: string, path: string, headers: Record<string, string> = {}, body?: unknown) =>
  rawRequest(url, { method, path, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });

function expectCloudError(res: RawResponse, status: number, code?: number): { code: number; message: string; args?: unknown }[] {
  expect(res.status, res.text()).toBe(status);
  const body = res.json();
  expect(isCloudErrorBody(body), res.text()).toBe(true);
  const errors = (body as { errors: { code: number; message: string; args?: unknown }[] }).errors;
  if (code !== undefined) expect(errors[0]!.code).toBe(code);
  expect(res.text()).not.toMatch(/statusCode|"error":|at .*\.ts:\d+/);
  return errors;
}

describe('cloud certificaterequests', () => {
  it('answers the seed body with 201 and every field of the seed example response, in cloud formats', async () => {
    const res = await req('POST', '/outagedetection/v1/certificaterequests', { ...key(), ...json }, SEED_BODY);
    expect(res.status, res.text()).toBe(201);
    const { certificateRequests } = res.json() as { certificateRequests: Record<string, unknown>[] };
    expect(certificateRequests).toHaveLength(1);
    const r = certificateRequests[0]!;
    for (const field of SEED_RESPONSE_FIELDS) expect(r, field).toHaveProperty(field);
    expect(Object.keys(r.subjectAlternativeNamesByType as object).sort()).toEqual([...SEED_SAN_FIELDS].sort());
    expect((r.subjectAlternativeNamesByType as Record<string, string[]>).dNSName).toEqual(['www.ask.venafi.example', 'ask.venafi.example']);
    expect(r.creationDate).toBe('2021-11-16T23:45:13.285+0000');
    expect(r.modificationDate).toBe('2021-11-16T23:45:13.392+0000');
    expect(r.companyId).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.certificateOwnerUserId).toMatch(/^[0-9a-f-]{36}$/);
    expect(service.calls.at(-1)?.method).toBe('requestCertificate');

    const again = await req('GET', `/outagedetection/v1/certificaterequests/${r.id as string}`, key());
    expect(again.status).toBe(200);
    expect((again.json() as { id: string }).id).toBe(r.id);
  });

  it('names every bad field at once (one entry per problem) with 400', async () => {
    const res = await req('POST', '/outagedetection/v1/certificaterequests', { ...key(), ...json }, { applicationId: 'nope', certificateIssuingTemplateId: 42, validityPeriod: 'seven days' });
    const errors = expectCloudError(res, 400, ERROR_CODES.VALIDATION);
    const fields = errors.map((e) => (e.args as { field: string }).field);
    expect(fields).toEqual(expect.arrayContaining(['applicationId', 'certificateIssuingTemplateId', 'validityPeriod']));
    for (const e of errors) expect(e.message).toContain((e.args as { field: string }).field);
    expect(service.calls).toHaveLength(0);
  });

  it('refuses an unknown field instead of dropping it (a misspelt validityPeriode would silently get the default)', async () => {
    const res = await req('POST', '/outagedetection/v1/certificaterequests', { ...key(), ...json }, { ...SEED_BODY, validityPeriode: 'P7D' });
    const [error] = expectCloudError(res, 400, ERROR_CODES.VALIDATION);
    expect(error!.message).toMatch(/unknown field "validityPeriode": certificaterequests takes applicationId, /);
    expect(error!.args).toMatchObject({ field: 'validityPeriode' });
    expect(service.calls).toHaveLength(0);
    // What VCert (Go) adds is accepted.
    const vcert = await req('POST', '/outagedetection/v1/certificaterequests', { ...key(), ...json }, { ...SEED_BODY, certificateUsageMetadata: [{ appName: 'x' }], certificateOwnerUserId: '0b5c3a1e-1111-4222-8333-444455556666' });
    expect(vcert.status, vcert.text()).toBe(201);
  });

  it('maps service errors by their code and status: 404 unknown id, 409 contents while pending', async () => {
    expectCloudError(await req('GET', '/outagedetection/v1/certificaterequests/3e191f90-4737-11ec-a491-150fc62378e9', key()), 404, ERROR_CODES.NOT_FOUND);
    service.nextStatus = 'PENDING';
    await req('POST', '/outagedetection/v1/certificaterequests', { ...key(), ...json }, SEED_BODY);
    const res = await req('GET', '/outagedetection/v1/certificates/3e191f90-4737-11ec-a491-150fc62378e9/contents?format=PEM&chainOrder=EE_FIRST', key());
    expectCloudError(res, 409, ERROR_CODES.CONFLICT);
  });

  it('never leaks the message of an unexpected error', async () => {
    service.failWith = new Error('ENOENT: /home/secret/path/store.db');
    const res = await req('GET', '/outagedetection/v1/applications', key());
    expectCloudError(res, 500, ERROR_CODES.INTERNAL);
    expect(res.text()).not.toContain('/home/secret');
    service.failWith = new SatelliteError(ERROR_CODES.DEK_UNAVAILABLE, 'the DEK is locked; unlock the keychain', 503);
    expectCloudError(await req('GET', '/outagedetection/v1/applications', key()), 503, ERROR_CODES.DEK_UNAVAILABLE);
  });

  it('validates contents options from the shared schema', async () => {
    const errors = expectCloudError(await req('GET', '/outagedetection/v1/certificates/3e191f90-4737-11ec-a491-150fc62378e9/contents?format=XML', key()), 400);
    expect(errors[0]!.message).toContain('format');
  });

  it('opens sealed keystore passphrases and answers the file with its name', async () => {
    const res = await req('POST', '/outagedetection/v1/certificates/3e191f90-4737-11ec-a491-150fc62378e9/keystore', { ...key(), ...json }, {
      exportFormat: 'PKCS12',
      encryptedPrivateKeyPassphrase: fakeSeal('a long enough passphrase'),
      encryptedKeystorePassphrase: '',
      certificateLabel: 'ask',
      pkcs12Profile: 'COMPATIBLE',
    });
    expect(res.status, res.text()).toBe(200);
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect(res.headers['content-disposition']).toContain("filename*=UTF-8''%C3%BCn%C3%AFcode%20label.p12");
    expect(res.headers['x-export-scheme']).toBe('PKCS#12 Modern');
    expect(service.exports.at(-1)?.input).toMatchObject({ privateKeyPassphrase: 'a long enough passphrase', pkcs12Profile: 'COMPATIBLE', certificateLabel: 'ask' });
  });

  it('refuses a passphrase that was not sealed to the edge key, and a short one, naming the sealed field', async () => {
    const path = '/outagedetection/v1/certificates/3e191f90-4737-11ec-a491-150fc62378e9/keystore';
    const base = { exportFormat: 'PKCS12', certificateLabel: 'ask' };
    const notSealed = expectCloudError(await req('POST', path, { ...key(), ...json }, { ...base, encryptedPrivateKeyPassphrase: Buffer.from('plain').toString('base64') }), 400);
    expect(notSealed[0]!.message).toMatch(/^encryptedPrivateKeyPassphrase: /);
    const short = expectCloudError(await req('POST', path, { ...key(), ...json }, { ...base, encryptedPrivateKeyPassphrase: fakeSeal('short') }), 400);
    expect(short[0]!.message).toMatch(/^encryptedPrivateKeyPassphrase: /);
    expect(JSON.stringify(short)).not.toContain('short"');
  });

  it('serves the edge key, applications, templates, useraccounts and edgeinstances', async () => {
    expect((await req('GET', '/v1/edgeencryptionkeys/known-hash', key())).json()).toMatchObject({ keyAlgorithm: 'X25519' });
    expectCloudError(await req('GET', '/v1/edgeencryptionkeys/unknown-hash', key()), 404);
    expect((await req('GET', '/outagedetection/v1/applications', key())).json()).toMatchObject({ applications: [{ name: 'Default' }] });
    expect((await req('GET', `/outagedetection/v1/applications/${service.application.id}`, key())).status).toBe(200);
    expect((await req('GET', '/outagedetection/v1/applications/name/Default', key())).status).toBe(200);
    expectCloudError(await req('GET', '/outagedetection/v1/applications/name/Nope', key()), 404, ERROR_CODES.APPLICATION_NOT_FOUND);
    expect((await req('GET', '/outagedetection/v1/applications/Default/certificateissuingtemplates/Default', key())).status).toBe(200);
    expectCloudError(await req('GET', '/outagedetection/v1/applications/Default/certificateissuingtemplates/Other', key()), 404);
    expect((await req('GET', '/v1/certificateissuingtemplates', key())).json()).toHaveProperty('certificateIssuingTemplates');
    expect((await req('GET', '/v1/useraccounts', key())).json()).toHaveProperty(['apiKey', 'apiKeyStatus'], 'ACTIVE');
    expect((await req('GET', '/v1/edgeinstances', key())).json()).toMatchObject({ edgeInstances: [{ edgeType: 'SATELLITE' }] });
    const search = await req('POST', '/outagedetection/v1/certificatesearch', { ...key(), ...json }, { expression: { field: 'subjectCN', operator: 'FIND', value: 'a' } });
    expect(search.json()).toMatchObject({ count: 1 });
  });
});

describe('authentication', () => {
  it('answers a missing key 401/1004 and a wrong key 401/40100', async () => {
    expectCloudError(await req('GET', '/v1/useraccounts'), 401, ERROR_CODES.MISSING_API_KEY);
    expectCloudError(await req('GET', '/v1/useraccounts', { 'tppl-api-key': 'wrong' }), 401, ERROR_CODES.UNAUTHORIZED);
  });

  it('twelve wrong sign-in tokens and wrong keys never lock out the right API key', async () => {
    for (let i = 0; i < 12; i++) expect((await req('POST', '/ui/session', json, { token: 'x' })).status).toBeGreaterThanOrEqual(400);
    for (let i = 0; i < 12; i++) expectCloudError(await req('GET', '/v1/useraccounts', { 'tppl-api-key': `wrong-${i}` }), 401);
    expect((await req('GET', '/v1/useraccounts', key())).status).toBe(200);
  });

  it('the same wrong key sent again and again is answered 429 with Retry-After', async () => {
    for (let i = 0; i < 9; i++) expectCloudError(await req('GET', '/v1/useraccounts', { 'tppl-api-key': 'stuck-wrong-key' }), 401);
    const limited = await req('GET', '/v1/useraccounts', { 'tppl-api-key': 'stuck-wrong-key' });
    expectCloudError(limited, 429, ERROR_CODES.TOO_MANY_REQUESTS);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await req('GET', '/v1/useraccounts', key())).status).toBe(200);
  });

});

describe('DNS rebinding, CORS and headers', () => {
  it('refuses a foreign Host with 400 and a foreign Origin with 403', async () => {
    expectCloudError(await req('GET', '/v1/useraccounts', { ...key(), host: 'evil.example' }), 400);
    expectCloudError(await req('GET', '/v1/useraccounts', { ...key(), host: `evil.example:${new URL(url).port}` }), 400);
    expectCloudError(await req('GET', '/v1/useraccounts', { ...key(), origin: 'http://evil.example' }), 403, ERROR_CODES.FORBIDDEN);
    expectCloudError(await req('GET', '/v1/useraccounts', { ...key(), origin: 'null' }), 403);
    expect((await req('GET', '/v1/useraccounts', { ...key(), origin: url })).status).toBe(200);
    expect((await req('GET', '/v1/useraccounts', { ...key(), host: `localhost:${new URL(url).port}` })).status).toBe(200);
  });

  it('sends the security headers on every answer and no CORS header ever', async () => {
    const answers = [
      await req('GET', '/v1/useraccounts', key()),
      await req('GET', '/nope/nope.js'),
      await req('GET', '/'),
      await req('OPTIONS', '/v1/useraccounts', { origin: url, 'access-control-request-method': 'GET' }),
      await req('GET', '/v1/useraccounts', { host: 'evil.example' }),
    ];
    for (const res of answers) {
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    }
    expect(answers[0]!.headers['cache-control']).toBe('no-store');
  });
});

describe('framework-level refusals in the cloud shape', () => {
  it('413 for a body over the limit, 415 for a non-JSON content type, 400 for broken JSON', async () => {
    const path = '/outagedetection/v1/certificaterequests';
    expectCloudError(await req('POST', path, { ...key(), ...json }, `{"a":"${'x'.repeat(70 * 1024)}"}`), 413, ERROR_CODES.PAYLOAD_TOO_LARGE);
    expectCloudError(await req('POST', path, { ...key(), 'content-type': 'text/plain' }, 'hello'), 415, ERROR_CODES.UNSUPPORTED_MEDIA_TYPE);
    expectCloudError(await req('POST', path, { ...key(), 'content-type': 'application/x-www-form-urlencoded' }, 'a=1'), 415);
    expectCloudError(await req('POST', path, { ...key(), ...json }, '{"applicationId":'), 400, ERROR_CODES.VALIDATION);
    expectCloudError(await req('POST', path, { ...key(), ...json }, '{"__proto__":{"x":1}}'), 400);
    expectCloudError(await req('POST', path, { ...key(), ...json }, ''), 400);
  });

  it('404 for unknown routes, 405 with Allow for a known path and the wrong method', async () => {
    expectCloudError(await req('GET', '/outagedetection/v1/nothing', key()), 404, ERROR_CODES.NOT_FOUND);
    expectCloudError(await req('POST', '/nothing', { ...json }, '{}'), 404);
    const wrong = await req('DELETE', '/outagedetection/v1/certificaterequests/3e191f90-4737-11ec-a491-150fc62378e9', key());
    expectCloudError(wrong, 405, ERROR_CODES.METHOD_NOT_ALLOWED);
    expect(wrong.headers.allow).toContain('GET');
    expectCloudError(await req('GET', '/outagedetection/v1/certificaterequests', key()), 405);
  });

  it('answers malformed HTTP, a missing Host and HTTP/0.9 in the cloud shape too', async () => {
    const host = new URL(url).host;
    expectCloudError(await rawSocketRequest(url, 'GET /v1/useraccounts HTTP/1.1\r\nConnection: close\r\n\r\n'), 400);
    expectCloudError(await rawSocketRequest(url, `GET /\r\nHost: ${host}\r\n\r\n`), 400);
    expectCloudError(await rawSocketRequest(url, 'HELLO\r\n\r\n'), 400);
    expectCloudError(await rawSocketRequest(url, `GET / HTTP/1.1\r\nHost: ${host}\r\nX-Big: ${'a'.repeat(32 * 1024)}\r\n\r\n`), 431);
  });

  it('400 for malformed percent-encoding', async () => {
    expectCloudError(await req('GET', '/outagedetection/v1/certificaterequests/%E0%A4%A', key()), 400);
    expectCloudError(await req('GET', '/%ff', key()), 400);
  });
});

describe('static web UI', () => {
  it('serves index.html at / and for client-side routes, assets with their type', async () => {
    const root = await req('GET', '/');
    expect(root.status).toBe(200);
    expect(root.headers['content-type']).toContain('text/html');
    expect((await req('GET', '/certificates/123')).text()).toContain('Keypair Satellite');
    const js = await req('GET', '/assets/app.js');
    expect(js.headers['content-type']).toContain('text/javascript');
    expectCloudError(await req('GET', '/assets/missing.js'), 404);
  });

  it.each([
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/assets/%2e%2e/%2e%2e/secret.txt',
    '/..%2fsecret.txt',
    '/..%5csecret.txt',
    '/assets/..%252f..%252fsecret.txt',
    '/%00/secret.txt',
    '/./index.html',
  ])('never serves anything outside the web root: %s', async (path) => {
    const res = await req('GET', path);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.text()).not.toContain('TOP-SECRET');
    expect(isCloudErrorBody(res.json())).toBe(true);
  });
});

describe('web UI session', () => {
  async function signIn(credential: Record<string, string> = { token: server.loginToken }): Promise<Record<string, string>> {
    const res = await req('POST', '/ui/session', json, credential);
    expect(res.status, res.text()).toBe(201);
    // Never a cookie: cookies ignore ports, so every other program on 127.0.0.1 would receive it.
    expect(res.headers['set-cookie']).toBeUndefined();
    const body = res.json() as { sessionToken: string; endsAt: string; idleSeconds: number };
    expect(body.idleSeconds).toBe(1800);
    expect(Date.parse(body.endsAt)).toBeGreaterThan(Date.now());
    return { ...json, 'x-satellite-session': body.sessionToken };
  }

  it('the printed link hands its token to the UI in the fragment, without spending it', async () => {
    for (const method of ['HEAD', 'GET', 'GET']) {
      const res = await req(method, `/ui/login?token=${encodeURIComponent(server.loginToken)}`);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/#/signin?token=${encodeURIComponent(server.loginToken)}`);
      expect(res.headers['set-cookie']).toBeUndefined();
    }
    expectCloudError(await req('GET', '/ui/login'), 400);
  });

  it('exchanges the one-time token once; a second use is refused in words, and the API key signs in too', async () => {
    await signIn();
    const again = expectCloudError(await req('POST', '/ui/session', json, { token: server.loginToken }), 401);
    expect(again[0]!.message).toMatch(/^This sign-in link was used already .* sign in with the API key/);
    expectCloudError(await req('POST', '/ui/session', json, { apiKey: 'wrong' }), 401);
    expectCloudError(await req('POST', '/ui/session', json, {}), 400);
    expectCloudError(await req('POST', '/ui/session', json, { token: 'x', apiKey: 'y' }), 400);
    await signIn({ apiKey: service.apiKey });
  });

  it('needs the session header for /ui/rpc; a session in a cookie is not one', async () => {
    const path = '/ui/rpc/listApplications';
    expectCloudError(await req('POST', path, json, '{}'), 401);
    expectCloudError(await req('POST', path, { ...json, 'x-satellite-session': 'forged' }, '{}'), 401);
    const h = await signIn();
    expectCloudError(await req('POST', path, { ...json, cookie: `satellite_session=${h['x-satellite-session']}` }, '{}'), 401);
    const ok = await req('POST', path, h, '{}');
    expect(ok.status, ok.text()).toBe(200);
    expect(ok.json()).toMatchObject([{ name: 'Default' }]);
    expect(service.calls.at(-1)).toEqual({ method: 'listApplications', input: {} });
  });

  it('signing out ends the session', async () => {
    const h = await signIn({ apiKey: service.apiKey });
    expect((await req('POST', '/ui/session/end', { 'x-satellite-session': h['x-satellite-session']! })).status).toBe(204);
    expectCloudError(await req('POST', '/ui/rpc/listApplications', h, '{}'), 401);
  });

  it('a template whose dns-01 hook runs a program needs the API key as well as the session', async () => {
    const h = await signIn();
    const template = {
      name: 'dns hook',
      certificateAuthority: 'ACME',
      keyTypes: [{ keyType: 'EC', keyCurves: ['P256'] }],
      validityPeriod: 'P90D',
      caSettings: { type: 'ACME', directoryUrl: 'https://acme.example/dir', challenge: { type: 'dns-01', hookCommand: '/usr/bin/touch /tmp/pwned' } },
    };
    const refused = expectCloudError(await req('POST', '/ui/rpc/saveIssuingTemplate', h, template), 403, ERROR_CODES.FORBIDDEN);
    expect(refused[0]!.message).toMatch(/^API key: .*dns-01 hook runs a program/);
    expectCloudError(await req('POST', '/ui/rpc/saveIssuingTemplate', { ...h, 'tppl-api-key': 'wrong' }, template), 403);
    expect(service.calls.some((c) => c.method === 'saveIssuingTemplate')).toBe(false);
    const ok = await req('POST', '/ui/rpc/saveIssuingTemplate', { ...h, 'tppl-api-key': service.apiKey }, template);
    expect(ok.status, ok.text()).not.toBe(403);
  });

  it('an installation (files written anywhere the satellite may) and a playbook need the API key as well as the session', async () => {
    const h = await signIn();
    const automation = {
      certificateId: '3e191f90-4737-11ec-a491-150fc62378e9',
      name: 'overwrite',
      installations: [{ format: 'PEM', file: '/home/someone/.bashrc', chainFile: '/tmp/c', keyFile: '/tmp/k', unencryptedKey: true }],
    };
    const refused = expectCloudError(await req('POST', '/ui/rpc/saveAutomation', h, automation), 403, ERROR_CODES.FORBIDDEN);
    expect(refused[0]!.message).toMatch(/^API key: an installation writes files on this machine/);
    const playbook = expectCloudError(await req('POST', '/ui/rpc/importPlaybook', h, { yaml: 'certificateTasks: []' }), 403, ERROR_CODES.FORBIDDEN);
    expect(playbook[0]!.message).toMatch(/^API key: a playbook's after-install actions run programs/);
    expect(service.calls.some((c) => c.method === 'saveAutomation' || c.method === 'importPlaybook')).toBe(false);
    const ok = await req('POST', '/ui/rpc/saveAutomation', { ...h, 'tppl-api-key': service.apiKey }, automation);
    expect(ok.status, ok.text()).not.toBe(403);
  });

  it('trusting the built-in CA on the satellite\'s computer (or no longer) needs the API key as well as the session', async () => {
    const h = await signIn();
    for (const method of ['trustBuiltinRoot', 'untrustBuiltinRoot']) {
      const refused = expectCloudError(await req('POST', `/ui/rpc/${method}`, h, {}), 403, ERROR_CODES.FORBIDDEN);
      expect(refused[0]!.message).toMatch(/^API key: trusting the built-in CA changes the trust stores of the computer the satellite runs on/);
      expect(refused[0]!.args).toEqual({ field: 'tppl-api-key' });
      const wrong = expectCloudError(await req('POST', `/ui/rpc/${method}`, { ...h, 'tppl-api-key': 'not-the-key' }, {}), 403, ERROR_CODES.FORBIDDEN);
      expect(wrong[0]!.args).toEqual({ field: 'tppl-api-key' });
    }
    expect(service.calls.some((c) => c.method === 'trustBuiltinRoot' || c.method === 'untrustBuiltinRoot')).toBe(false);
    const ok = await req('POST', '/ui/rpc/trustBuiltinRoot', { ...h, 'tppl-api-key': service.apiKey }, {});
    expect(ok.status, ok.text()).not.toBe(403);
    expect(service.calls.some((c) => c.method === 'trustBuiltinRoot')).toBe(true);
  });

  it('a new issuing CA for the built-in CA needs the API key as well as the session, and its constraints are checked by field', async () => {
    const h = await signIn();
    const body = { nameConstraints: { dns: ['internal.example.com'], ip: [] } };
    const refused = expectCloudError(await req('POST', '/ui/rpc/newIssuingCa', h, body), 403, ERROR_CODES.FORBIDDEN);
    expect(refused[0]!.message).toMatch(/^API key: a new issuing CA changes what signs every certificate from now on/);
    expect(refused[0]!.args).toEqual({ field: 'tppl-api-key' });
    expect(service.calls.some((c) => c.method === 'newIssuingCa')).toBe(false);
    const bad = expectCloudError(await req('POST', '/ui/rpc/newIssuingCa', { ...h, 'tppl-api-key': service.apiKey }, { nameConstraints: { dns: ['not a name'] } }), 400);
    expect(bad[0]!.args).toMatchObject({ field: 'nameConstraints.dns' });
    expect(bad[0]!.message).toMatch(/permitted DNS name "not a name" is not a DNS name/);
    expect(service.calls.some((c) => c.method === 'newIssuingCa')).toBe(false);
    const ok = await req('POST', '/ui/rpc/newIssuingCa', { ...h, 'tppl-api-key': service.apiKey }, body);
    expect(ok.status, ok.text()).not.toBe(403);
    expect(service.calls.some((c) => c.method === 'newIssuingCa')).toBe(true);
  });

  it('accepts only methods of the shared contract, validated with their schema', async () => {
    const h = await signIn();
    for (const m of ['__proto__', 'constructor', 'toString', 'close', 'verifyApiKey']) {
      expectCloudError(await req('POST', `/ui/rpc/${m}`, h, '{}'), 404);
    }
    const bad = expectCloudError(await req('POST', '/ui/rpc/getCertificateRequest', h, { id: 'x' }), 400);
    expect(bad[0]!.args).toEqual({ field: 'id' });
    const download = await req('POST', '/ui/download/keystore', h, { id: '3e191f90-4737-11ec-a491-150fc62378e9', exportFormat: 'JKS', privateKeyPassphrase: 'a long enough passphrase', certificateLabel: 'x' });
    expect(download.status, download.text()).toBe(200);
    expect(download.headers['content-disposition']).toMatch(/^attachment; filename="/);
    const backup = await req('POST', '/ui/download/dek-backup', h, { passphrase: 'a long enough passphrase' });
    expect(backup.status, backup.text()).toBe(200);
    expect(service.recordedBackups).toHaveLength(1);
    expectCloudError(await req('POST', '/ui/download/dek-backup', h, { passphrase: 'short' }), 400);
    expectCloudError(await req('POST', '/ui/download/dek-backup', json, { passphrase: 'a long enough passphrase' }), 401);
  });
});

describe('OpenAPI', () => {
  it('lists every registered route, generated from the zod schemas', async () => {
    const res = await req('GET', '/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.json() as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    const documented = new Set(Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)));
    const registered = server
      .routes()
      .filter((r) => r.method !== 'HEAD' && !r.url.includes('*'))
      .map((r) => `${r.method} ${r.url.replace(/:([A-Za-z]+)/g, '{$1}')}`);
    for (const route of registered) {
      if (route === 'POST /ui/rpc/{method}') continue; // documented per method
      expect(documented, route).toContain(route);
    }
    expect(documented).toContain('POST /ui/rpc/requestCertificate');
    const body = doc.paths['/outagedetection/v1/certificaterequests']!.post as { requestBody: { content: Record<string, { schema: { properties: object } }> } };
    const schema = body.requestBody.content['application/json']!.schema;
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['applicationId', 'csrAttributes', 'isVaaSGenerated']));
    // The generated JSON Schema is real: a validator accepts the seed body and refuses a broken one.
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    const validate = ajv.compile(schema);
    expect(validate(SEED_BODY), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...SEED_BODY, applicationId: 'nope' })).toBe(false);
  });
});

describe('shutdown', () => {
  it('close() stops accepting; it leaves the service for its owner to close', async () => {
    await server.close();
    await expect(rawRequest(url, { path: '/v1/useraccounts', timeoutMs: 2000 })).rejects.toThrow();
    expect(service.closed).toBe(false);
    server = createApiServer(service, { host: '127.0.0.1', port: 0, log: silentLogger });
    url = await server.listen();
  });
});
