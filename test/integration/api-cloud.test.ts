import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import sodium from 'libsodium-wrappers';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { certificateRequestsResponseSchema } from '../../src/main/api/response-schemas';
import { startSatelliteServer, type SatelliteServer } from '../helpers/satellite-server';
import { SEED_RESPONSE_FIELDS, SEED_SAN_FIELDS, seedRequestBody } from '../helpers/seed-request';
import { describeWithTools, missingTools, TOOLS } from '../helpers/tools';

// The seed's ASK call, made the way a script would (curl), against the real headless satellite;
// then the certificate and keystores checked by openssl and keytool.

const run = promisify(execFile);

/** The seed's example body (seeds/000_*.txt) with the satellite's own ids. */
const seedBody = (applicationId: string, certificateIssuingTemplateId: string, applicationServerTypeId: string) =>
  seedRequestBody({ applicationId, certificateIssuingTemplateId, applicationServerTypeId }, ['www.ask.venafi.example', 'ask.venafi.example']);


const haveCurl = missingTools([{ command: 'curl', install: 'apt-get install curl' }]).length === 0;

/** POST JSON with the real curl binary when there is one (else fetch): status and body text. */
async function postJson(url: string, apiKey: string, body: unknown, dir: string): Promise<{ status: number; text: string }> {
  if (!haveCurl) {
    const res = await fetch(url, { method: 'POST', headers: { 'tppl-api-key': apiKey, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, text: await res.text() };
  }
  const file = join(dir, 'body.json');
  writeFileSync(file, JSON.stringify(body));
  const { stdout } = await run('curl', ['-sS', '--max-time', '120', '-X', 'POST', '-H', `tppl-api-key: ${apiKey}`, '-H', 'content-type: application/json', '--data-binary', `@${file}`, '-w', '\n%{http_code}', url]);
  const cut = stdout.lastIndexOf('\n');
  return { status: Number(stdout.slice(cut + 1)), text: stdout.slice(0, cut) };
}

const splitPems = (bundle: string) => bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g) ?? [];

describeWithTools([TOOLS.openssl, TOOLS.keytool])('REST API: the seed request, /contents and keystores against the headless satellite', () => {
  let sat: SatelliteServer;
  let dir: string;
  const get = async (path: string) => fetch(`${sat.url}${path}`, { headers: { 'tppl-api-key': sat.apiKey } });
  let request: Record<string, unknown>;
  let certificateId: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ks-api-cloud-'));
    sat = await startSatelliteServer();
    await sodium.ready;
  });
  afterAll(async () => {
    await sat?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('curl with the seed body gets 201 and every field of the seed example response', async () => {
    const apps = (await (await get('/outagedetection/v1/applications')).json()) as { applications: { id: string; certificateIssuingTemplateAliasIdMap: Record<string, string> }[] };
    const app = apps.applications[0]!;
    const templateId = Object.values(app.certificateIssuingTemplateAliasIdMap)[0]!;
    const types = (await (await get('/v1/applicationservertypes')).json()) as { applicationServerTypes: { id: string; platformName: string }[] };
    const apache = types.applicationServerTypes.find((t) => t.platformName === 'Apache') ?? types.applicationServerTypes[0]!;

    const res = await postJson(`${sat.url}/outagedetection/v1/certificaterequests`, sat.apiKey, seedBody(app.id, templateId, apache.id), dir);
    expect(res.status, res.text).toBe(201);
    const parsed = certificateRequestsResponseSchema.parse(JSON.parse(res.text));
    request = JSON.parse(res.text).certificateRequests[0] as Record<string, unknown>;
    for (const field of SEED_RESPONSE_FIELDS) expect(request, field).toHaveProperty(field);
    expect(Object.keys(request.subjectAlternativeNamesByType as object).sort()).toEqual([...SEED_SAN_FIELDS].sort());
    const r = parsed.certificateRequests[0]!;
    expect(r.applicationId).toBe(app.id);
    expect(r.certificateIssuingTemplateId).toBe(templateId);
    expect(r.validityPeriod).toBe('P7D');
    expect(r.keyType).toBe('RSA');
    expect(r.keyLength).toBe(2048);
    expect(r.subjectDN?.toLowerCase()).toContain('ask.venafi.example');
    expect(r.subjectAlternativeNamesByType.dNSName).toEqual(expect.arrayContaining(['www.ask.venafi.example', 'ask.venafi.example']));
    expect(r.certificateSigningRequest).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----/);

    // Clients poll every 2 s until ISSUED; the built-in CA usually answers at once.
    let status = r.status;
    for (let i = 0; status !== 'ISSUED' && i < 30; i++) {
      expect(['FAILED', 'REJECTED'], JSON.stringify(request.errorInformation)).not.toContain(status);
      await new Promise((ok) => setTimeout(ok, 1000));
      request = (await (await get(`/outagedetection/v1/certificaterequests/${r.id}`)).json()) as Record<string, unknown>;
      status = request.status as typeof status;
    }
    expect(status).toBe('ISSUED');
    certificateId = (request.certificateIds as string[])[0]!;
    expect(certificateId).toBeTruthy();
  });

  it('the certificate from /contents verifies with openssl against its chain', async () => {
    const res = await get(`/outagedetection/v1/certificates/${certificateId}/contents?format=PEM&chainOrder=EE_FIRST`);
    expect(res.status).toBe(200);
    const pems = splitPems(await res.text());
    expect(pems.length).toBeGreaterThanOrEqual(2);
    writeFileSync(join(dir, 'ee.pem'), pems[0]!);
    writeFileSync(join(dir, 'root.pem'), pems.at(-1)!);
    writeFileSync(join(dir, 'intermediates.pem'), pems.slice(1, -1).join(''));
    const args = ['verify', '-CAfile', join(dir, 'root.pem'), ...(pems.length > 2 ? ['-untrusted', join(dir, 'intermediates.pem')] : []), join(dir, 'ee.pem')];
    const { stdout } = await run('openssl', args);
    expect(stdout.trim()).toBe(`${join(dir, 'ee.pem')}: OK`);
    const { stdout: text } = await run('openssl', ['x509', '-in', join(dir, 'ee.pem'), '-noout', '-subject', '-ext', 'subjectAltName']);
    expect(text).toContain('ask.venafi.example');
    expect(text).toContain('DNS:www.ask.venafi.example');

    const rootFirst = splitPems(await (await get(`/outagedetection/v1/certificates/${certificateId}/contents?chainOrder=ROOT_FIRST`)).text());
    expect(rootFirst[0]).toBe(pems.at(-1));
    const eeOnly = splitPems(await (await get(`/outagedetection/v1/certificates/${certificateId}/contents?chainOrder=EE_ONLY`)).text());
    expect(eeOnly).toEqual([pems[0]]);
    const der = await get(`/outagedetection/v1/certificates/${certificateId}/contents?format=DER&chainOrder=EE_ONLY`);
    expect(Buffer.from(await der.arrayBuffer())[0]).toBe(0x30);
  });

  async function sealedTo(passphrase: string): Promise<string> {
    const cert = (await (await get(`/outagedetection/v1/certificates/${certificateId}`)).json()) as { dekHash?: string };
    expect(cert.dekHash, 'the satellite made the key, so the certificate names its dekHash').toBeTruthy();
    const keyRes = await get(`/v1/edgeencryptionkeys/${encodeURIComponent(cert.dekHash!)}`);
    expect(keyRes.status).toBe(200);
    const edge = (await keyRes.json()) as { key: string; keyAlgorithm: string };
    expect(edge.keyAlgorithm).toBe('X25519');
    const publicKey = sodium.from_base64(edge.key, sodium.base64_variants.ORIGINAL);
    expect(publicKey).toHaveLength(32);
    return sodium.to_base64(sodium.crypto_box_seal(sodium.from_string(passphrase), publicKey), sodium.base64_variants.ORIGINAL);
  }

  async function keystore(body: Record<string, unknown>): Promise<{ bytes: Buffer; disposition: string; type: string }> {
    const res = await fetch(`${sat.url}/outagedetection/v1/certificates/${certificateId}/keystore`, {
      method: 'POST',
      headers: { 'tppl-api-key': sat.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(res.status, bytes.toString('utf8').slice(0, 500)).toBe(200);
    return { bytes, disposition: res.headers.get('content-disposition') ?? '', type: res.headers.get('content-type') ?? '' };
  }

  it('a PKCS#12 exported with sealed passphrases opens in openssl with that passphrase, and its key matches the certificate', async () => {
    const pass = 'sealed-pkcs12-passphrase';
    const p12 = await keystore({ exportFormat: 'PKCS12', encryptedPrivateKeyPassphrase: await sealedTo(pass), encryptedKeystorePassphrase: '', certificateLabel: 'ask' });
    expect(p12.disposition).toMatch(/^attachment; filename=/);
    const file = join(dir, 'ks.p12');
    writeFileSync(file, p12.bytes);
    const info = await run('openssl', ['pkcs12', '-info', '-noout', '-passin', `pass:${pass}`, '-in', file]);
    expect(`${info.stdout}${info.stderr}`).toMatch(/MAC: sha256/i);
    await expect(run('openssl', ['pkcs12', '-info', '-noout', '-passin', 'pass:wrong-passphrase!', '-in', file])).rejects.toThrow();
    const { stdout: keyPem } = await run('openssl', ['pkcs12', '-in', file, '-passin', `pass:${pass}`, '-nocerts', '-nodes']);
    writeFileSync(join(dir, 'p12-key.pem'), keyPem);
    const { stdout: fromKey } = await run('openssl', ['pkey', '-in', join(dir, 'p12-key.pem'), '-pubout']);
    const { stdout: fromCert } = await run('openssl', ['x509', '-in', join(dir, 'ee.pem'), '-pubkey', '-noout']);
    expect(fromKey).toBe(fromCert);

    const compatible = await keystore({ exportFormat: 'PKCS12', pkcs12Profile: 'COMPATIBLE', encryptedPrivateKeyPassphrase: await sealedTo(pass), certificateLabel: 'ask' });
    writeFileSync(join(dir, 'compat.p12'), compatible.bytes);
    const compatInfo = await run('openssl', ['pkcs12', '-info', '-noout', '-passin', `pass:${pass}`, '-in', join(dir, 'compat.p12')]);
    expect(`${compatInfo.stdout}${compatInfo.stderr}`).toMatch(/3-?Key ?TripleDES|des-ede3/i);
  });

  it('a JKS exported with sealed passphrases opens in keytool', async () => {
    const storePass = 'sealed-jks-store-pass';
    const keyPass = 'sealed-jks-key-passphrase';
    const jks = await keystore({ exportFormat: 'JKS', encryptedPrivateKeyPassphrase: await sealedTo(keyPass), encryptedKeystorePassphrase: await sealedTo(storePass), certificateLabel: 'ask-label' });
    const file = join(dir, 'ks.jks');
    writeFileSync(file, jks.bytes);
    const { stdout } = await run('keytool', ['-list', '-v', '-keystore', file, '-storepass', storePass, '-storetype', 'JKS']);
    expect(stdout).toMatch(/Alias name: ask-label/);
    expect(stdout).toMatch(/Entry type: PrivateKeyEntry/);
    await expect(run('keytool', ['-list', '-keystore', file, '-storepass', 'not-the-pass', '-storetype', 'JKS'])).rejects.toThrow();
  });

  it('PEM answers the ZIP bundle whose encrypted key opens with the sealed passphrase', async () => {
    const pass = 'sealed-pem-passphrase';
    const zip = await keystore({ exportFormat: 'PEM', encryptedPrivateKeyPassphrase: await sealedTo(pass), certificateLabel: 'ask' });
    expect(zip.bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(zip.disposition).toMatch(/\.zip/);
    const files = unzipSync(new Uint8Array(zip.bytes));
    const keyName = Object.keys(files).find((n) => n.endsWith('.key'))!;
    expect(keyName).toBeTruthy();
    writeFileSync(join(dir, 'bundle.key'), files[keyName]!);
    expect(readFileSync(join(dir, 'bundle.key'), 'utf8')).toContain('-----BEGIN ENCRYPTED PRIVATE KEY-----');
    await run('openssl', ['pkey', '-in', join(dir, 'bundle.key'), '-passin', `pass:${pass}`, '-noout']);
  });

  it('GET /v1/useraccounts checks the key; GET /v1/edgeinstances shows the key generation service', async () => {
    expect((await get('/v1/useraccounts')).status).toBe(200);
    expect((await fetch(`${sat.url}/v1/useraccounts`, { headers: { 'tppl-api-key': 'wrong' } })).status).toBe(401);
    const edge = (await (await get('/v1/edgeinstances')).json()) as { edgeInstances: { edgeType: string; edgeStatus: string }[] };
    expect(edge.edgeInstances[0]).toMatchObject({ edgeType: 'SATELLITE', edgeStatus: 'ACTIVE' });
  });
});
