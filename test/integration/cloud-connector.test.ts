import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CloudConnector } from '../../src/main/core/ca/cloud';
import { CaError, type IssueRequest, type SecretVault } from '../../src/main/core/ca/connector';
import type { Logger } from '../../src/main/core/common/log';
import { cloudCaSettingsSchema, type CloudCaSettings } from '../../src/shared/ca-settings';
import type { IssuingTemplate } from '../../src/shared/settings';
import { startCloudStandIn, type CloudStandIn } from '../helpers/cloud-stand-in';
import { freeTcpPort } from '../helpers/pebble';
import { describeWithTools, TOOLS } from '../helpers/tools';
import { csrNames } from '../../src/main/core/pki/csr-reader';

// The cloud connector against a local STAND-IN of the cloud's API (test/helpers/cloud-stand-in.ts),
// which follows /work/shared/reference/vaas-api.md and signs with a throwaway openssl CA.

const API_KEY_ID = 'cloud-api-key:test';

function vaultWith(entries: Record<string, string>): SecretVault {
  const map = new Map(Object.entries(entries).map(([k, v]) => [k, Buffer.from(v)]));
  return {
    read: async (id) => map.get(id),
    write: async (id, plaintext) => void map.set(id, Buffer.from(plaintext)),
    remove: async (id) => void map.delete(id),
  };
}

describeWithTools([TOOLS.openssl])('cloud connector against a stand-in of the cloud API', () => {
  let work: string;
  let standIn: CloudStandIn;
  const logged: string[] = [];
  const log: Logger = { log: (level, message, fields) => void logged.push(JSON.stringify({ level, message, fields })) };
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: work, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'ks-cloud-test-'));
    standIn = await startCloudStandIn();
  });

  afterAll(async () => {
    await standIn?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  function request(name: string, validitySeconds = 90 * 86400): IssueRequest {
    openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`, '-addext', `subjectAltName=DNS:${name}`);
    return { requestId: `req-${name}`, csrPem: readFileSync(join(work, `${name}.csr`), 'utf8'), validitySeconds, extendedKeyUsages: ['SERVER_AUTH'], template: {} as IssuingTemplate, checked: csrNames(readFileSync(join(work, `${name}.csr`), 'utf8')) };
  }

  function connector(overrides: Partial<CloudCaSettings> = {}, secrets: SecretVault = vaultWith({ [API_KEY_ID]: standIn.apiKey })): CloudConnector {
    const settings = cloudCaSettingsSchema.parse({
      type: 'CLOUD',
      baseUrl: standIn.baseUrl,
      apiKeySecretId: API_KEY_ID,
      remoteApplicationId: standIn.applicationId,
      remoteCertificateIssuingTemplateId: standIn.templateId,
      pollIntervalMs: 100,
      timeoutMs: 5000,
      ...overrides,
    });
    return new CloudConnector(settings, { secrets, workDir: work, log });
  }

  it('submits the CSR as certificateSigningRequest and returns the certificate with its chain', async () => {
    standIn.setPlan({ outcome: 'issue', pendingPolls: 1 });
    const req = request('cloud.example.test');
    const result = await connector().issue(req);

    expect(result.status).toBe('ISSUED');
    if (result.status !== 'ISSUED') return;
    const body = standIn.received.bodies.at(-1)!;
    expect(body).toMatchObject({ applicationId: standIn.applicationId, certificateIssuingTemplateId: standIn.templateId, certificateSigningRequest: req.csrPem, validityPeriod: 'P90D' });
    expect(body).not.toHaveProperty('isVaaSGenerated');
    expect(standIn.received.paths.some((p) => p.includes('/contents?format=PEM&chainOrder=EE_FIRST'))).toBe(true);

    writeFileSync(join(work, 'leaf.pem'), result.certificatePem);
    writeFileSync(join(work, 'chain.pem'), result.chainPems.join(''));
    writeFileSync(join(work, 'root.pem'), standIn.rootPem);
    expect(result.chainPems).toHaveLength(2);
    expect(openssl('x509', '-in', 'leaf.pem', '-noout', '-ext', 'subjectAltName')).toContain('DNS:cloud.example.test');
    expect(openssl('verify', '-CAfile', 'root.pem', '-untrusted', 'chain.pem', 'leaf.pem')).toContain('leaf.pem: OK');
    expect(openssl('x509', '-in', 'leaf.pem', '-noout', '-pubkey')).toBe(openssl('pkey', '-in', 'cloud.example.test.key', '-pubout'));
    // The API key went only into the header.
    expect(standIn.received.apiKeys.every((k) => k === standIn.apiKey)).toBe(true);
    expect(logged.join('\n')).not.toContain(standIn.apiKey);
  });

  it('keeps polling while /contents answers 409', async () => {
    standIn.setPlan({ outcome: 'issue', contentsConflicts: 2 });
    const before = standIn.received.paths.length;
    const result = await connector().issue(request('conflict.example.test'));
    expect(result.status).toBe('ISSUED');
    const contentsCalls = standIn.received.paths.slice(before).filter((p) => p.includes('/contents'));
    expect(contentsCalls).toHaveLength(3);
  });

  it('returns PENDING with a poll token when the deadline passes, and poll() picks the certificate up later', async () => {
    // At 400 ms intervals within a 1 s deadline at most two status reads happen: three pending reads outlast it.
    standIn.setPlan({ outcome: 'issue', pendingPolls: 3 });
    const c = connector({ pollIntervalMs: 400, timeoutMs: 1000 });
    const first = await c.issue(request('pending.example.test'));
    expect(first.status).toBe('PENDING');
    if (first.status !== 'PENDING') return;
    let later = await c.poll(first.pollToken);
    for (let i = 0; i < 5 && later.status === 'PENDING'; i++) later = await c.poll(first.pollToken);
    expect(later.status).toBe('ISSUED');
    if (later.status === 'ISSUED') expect(later.certificatePem).toContain('BEGIN CERTIFICATE');
  });

  it('turns a FAILED request into a CaError whose message is the errorInformation message', async () => {
    const errorInformation = { type: 'CA' as const, code: 50200, message: 'The CA refused: key size below policy minimum', args: { keyLength: 1024 } };
    standIn.setPlan({ outcome: 'fail', pendingPolls: 1, errorInformation });
    const error = await connector().issue(request('failed.example.test')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CaError);
    expect((error as CaError).message).toBe(errorInformation.message);
    expect((error as CaError).retryable).toBe(false);
    expect((error as CaError).caDetail).toEqual(errorInformation);
  });

  it('answers 401 with "check it in Settings", not retryable, and health says so', async () => {
    standIn.setPlan({ outcome: 'issue' });
    const wrong = connector({}, vaultWith({ [API_KEY_ID]: 'not-the-key' }));
    const error = await wrong.issue(request('unauthorized.example.test')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CaError);
    expect((error as CaError).message).toBe('the cloud refused the API key: check it in Settings');
    expect((error as CaError).retryable).toBe(false);
    expect((error as CaError).caDetail).toMatchObject({ status: 401, errors: [{ code: 40100 }] });
    expect(await wrong.health()).toEqual({ healthy: false, message: 'the cloud refused the API key: check it in Settings' });
    expect(await connector().health()).toEqual({ healthy: true, message: `The cloud at ${standIn.baseUrl} accepts the API key (user stand-in@example.test)` });
  });

  it('maps the cloud\'s error codes on a refused request', async () => {
    standIn.setPlan({ outcome: 'issue' });
    const error = await connector({ remoteApplicationId: '00000000-0000-4000-8000-0000000000aa' }).issue(request('noapp.example.test')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CaError);
    expect((error as CaError).message).toBe('The cloud refused the certificate request: Application with id 00000000-0000-4000-8000-0000000000aa not found (code 10051)');
    expect((error as CaError).retryable).toBe(false);
  });

  it('marks 5xx and unreachable servers retryable', async () => {
    standIn.setPlan({ outcome: 'server-error', status: 503 });
    const error = await connector().issue(request('busy.example.test')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CaError);
    expect((error as CaError).retryable).toBe(true);
    expect((error as CaError).message).toContain('The service is temporarily unavailable (code 50000)');

    const closedPort = await freeTcpPort();
    const down = await connector({ baseUrl: `http://127.0.0.1:${closedPort}` }).issue(request('down.example.test')).catch((e: unknown) => e);
    expect(down).toBeInstanceOf(CaError);
    expect((down as CaError).retryable).toBe(true);
    expect((down as CaError).message).toBe(`Could not reach the cloud at http://127.0.0.1:${closedPort} (ECONNREFUSED); the request will be retried later`);
  });

  it('says where to enter the API key when the vault has none', async () => {
    const error = await connector({}, vaultWith({})).issue(request('nokey.example.test')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CaError);
    expect((error as CaError).message).toBe(`No cloud API key is stored under "${API_KEY_ID}": enter the API key in Settings`);
  });
});
