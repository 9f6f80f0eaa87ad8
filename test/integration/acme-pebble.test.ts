import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AcmeConnector, accountKeySecretId, acmeProfileProblem } from '../../src/main/core/ca/acme';
import { CaError, type ConnectorContext, type IssueRequest, type SecretVault } from '../../src/main/core/ca/connector';
import type { Logger } from '../../src/main/core/common/log';
import { acmeCaSettingsSchema, type AcmeCaSettings } from '../../src/shared/ca-settings';
import type { IssuingTemplate } from '../../src/shared/settings';
import { freeTcpPort, startChalltestsrv, startPebble, type Challtestsrv, type Pebble } from '../helpers/pebble';
import { describeWithTools, TOOLS } from '../helpers/tools';
import { csrNames } from '../../src/main/core/pki/csr-reader';

// A real ACME server (Debian's pebble) validating real http-01 and dns-01 challenges through
// challtestsrv's DNS, which answers every A query with 127.0.0.1.

function memoryVault(): SecretVault & { ids(): string[] } {
  const map = new Map<string, Buffer>();
  return {
    read: async (id) => map.get(id),
    write: async (id, plaintext) => void map.set(id, Buffer.from(plaintext)),
    remove: async (id) => void map.delete(id),
    ids: () => [...map.keys()],
  };
}

interface LogLine {
  level: string;
  message: string;
  fields?: Record<string, unknown>;
}
function memoryLog(): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  return { lines, log: (level, message, fields) => void lines.push({ level, message, ...(fields ? { fields } : {}) }) };
}

let work: string;
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: work, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** A key and CSR made by the real openssl, as the satellite's CSR module will hand them over. */
function opensslCsr(name: string, ...sans: string[]): { csrPem: string; keyFile: string } {
  const base = name.replace(/[^a-z0-9]/gi, '_');
  const san = [name, ...sans].map((n) => `DNS:${n}`).join(',');
  openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${base}.key`, '-out', `${base}.csr`, '-subj', `/CN=${name}`, '-addext', `subjectAltName=${san}`);
  return { csrPem: readFileSync(join(work, `${base}.csr`), 'utf8'), keyFile: `${base}.key` };
}

function issueRequest(csrPem: string, dnsNames: string[]): IssueRequest {
  return { requestId: `req-${dnsNames[0]}`, csrPem, validitySeconds: 90 * 86400, extendedKeyUsages: ['SERVER_AUTH'], template: {} as IssuingTemplate, checked: csrNames(csrPem) };
}

function settings(pebble: Pebble, overrides: Partial<AcmeCaSettings> & Pick<AcmeCaSettings, 'challenge'>): AcmeCaSettings {
  return acmeCaSettingsSchema.parse({
    type: 'ACME',
    directoryUrl: pebble.directoryUrl,
    contactEmail: 'ops@example.test',
    termsOfServiceAgreed: true,
    tlsCaCertificatePem: pebble.tlsCaPem,
    orderTimeoutSeconds: 90,
    ...overrides,
  });
}

function context(secrets: SecretVault = memoryVault(), log: Logger = memoryLog()): ConnectorContext {
  return { secrets, workDir: work, log };
}

/** What openssl says about an issued certificate against pebble's root and the returned chain. */
function checkIssued(certificatePem: string, chainPems: string[], rootPem: string, keyFile: string): { san: string; verify: string } {
  writeFileSync(join(work, 'leaf.pem'), certificatePem);
  writeFileSync(join(work, 'chain.pem'), chainPems.join(''));
  writeFileSync(join(work, 'root.pem'), rootPem);
  const san = openssl('x509', '-in', 'leaf.pem', '-noout', '-ext', 'subjectAltName');
  const verify = openssl('verify', '-CAfile', 'root.pem', '-untrusted', 'chain.pem', 'leaf.pem');
  // The certificate carries the CSR's own key: acme-client made no key of its own.
  expect(openssl('x509', '-in', 'leaf.pem', '-noout', '-pubkey')).toBe(openssl('pkey', '-in', keyFile, '-pubout'));
  return { san, verify };
}

describeWithTools([TOOLS.pebble, TOOLS.challtestsrv, TOOLS.openssl])('ACME connector against pebble', () => {
  let dns: Challtestsrv;
  let pebble: Pebble;
  let httpPort: number;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'ks-acme-test-'));
    httpPort = await freeTcpPort();
    dns = await startChalltestsrv();
    pebble = await startPebble({ httpPort, dnsServer: dns.dnsAddress });
  });

  afterAll(async () => {
    await pebble?.stop();
    await dns?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('issues a certificate for an openssl CSR through real http-01 validation by the built-in responder', async () => {
    const secrets = memoryVault();
    const log = memoryLog();
    const connector = new AcmeConnector(settings(pebble, { challenge: { type: 'http-01', mode: 'standalone', listenAddress: '127.0.0.1', port: httpPort } }), context(secrets, log));
    const { csrPem, keyFile } = opensslCsr('satellite.example.test', 'www.satellite.example.test');

    const result = await connector.issue(issueRequest(csrPem, ['satellite.example.test', 'www.satellite.example.test']));

    expect(result.status).toBe('ISSUED');
    if (result.status !== 'ISSUED') return;
    expect(result.chainPems.length).toBeGreaterThanOrEqual(1);
    const { san, verify } = checkIssued(result.certificatePem, result.chainPems, await pebble.rootPem(), keyFile);
    expect(san).toContain('DNS:satellite.example.test');
    expect(san).toContain('DNS:www.satellite.example.test');
    expect(verify).toContain('leaf.pem: OK');
    // The chain is issuer first: the first chain certificate signed the leaf.
    writeFileSync(join(work, 'issuer.pem'), result.chainPems[0]!);
    expect(openssl('x509', '-in', 'leaf.pem', '-noout', '-issuer').replace('issuer=', '').trim()).toBe(openssl('x509', '-in', 'issuer.pem', '-noout', '-subject').replace('subject=', '').trim());
    // The account key went into the vault under the directory's secret id, and into no log line.
    expect(secrets.ids()).toEqual([accountKeySecretId(pebble.directoryUrl)]);
    const key = (await secrets.read(accountKeySecretId(pebble.directoryUrl)))!.toString('utf8');
    expect(key).toContain('PRIVATE KEY');
    expect(JSON.stringify(log.lines)).not.toContain(key.split('\n')[1]!);
    // The responder is gone once the order is done.
    await expect(fetch(`http://127.0.0.1:${httpPort}/`, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
  });

  it('reuses the account key from the vault for the next order', async () => {
    const secrets = memoryVault();
    const challenge = { type: 'http-01' as const, mode: 'standalone' as const, listenAddress: '127.0.0.1', port: httpPort };
    const first = new AcmeConnector(settings(pebble, { challenge }), context(secrets));
    await first.issue(issueRequest(opensslCsr('one.example.test').csrPem, ['one.example.test']));
    const keyBefore = await secrets.read(accountKeySecretId(pebble.directoryUrl));
    const second = new AcmeConnector(settings(pebble, { challenge }), context(secrets));
    const result = await second.issue(issueRequest(opensslCsr('two.example.test').csrPem, ['two.example.test']));
    expect(result.status).toBe('ISSUED');
    expect(await secrets.read(accountKeySecretId(pebble.directoryUrl))).toEqual(keyBefore);
  });

  it('writes http-01 answers into a webroot served by another web server', async () => {
    const webroot = mkdtempSync(join(tmpdir(), 'ks-acme-webroot-'));
    // A plain static file server standing in for the user's own web server.
    const server: Server = createServer((req, res) => {
      try {
        const file = join(webroot, ...(req.url ?? '/').split('?')[0]!.split('/').filter((p) => p && p !== '..'));
        res.end(readFileSync(file));
      } catch {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(httpPort, '127.0.0.1', () => resolve()));
    try {
      const connector = new AcmeConnector(settings(pebble, { challenge: { type: 'http-01', mode: 'webroot', listenAddress: '127.0.0.1', port: httpPort, webroot } }), context());
      const { csrPem } = opensslCsr('webroot.example.test');
      const result = await connector.issue(issueRequest(csrPem, ['webroot.example.test']));
      expect(result.status).toBe('ISSUED');
      // The answer files are removed after the order.
      expect(execFileSync('find', [webroot, '-type', 'f'], { encoding: 'utf8' }).trim()).toBe('');
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(webroot, { recursive: true, force: true });
    }
  });

  it('turns a failed http-01 validation into a CaError carrying pebble\'s problem type and detail', async () => {
    // The responder listens on another port than the one pebble dials: nobody answers.
    const wrongPort = await freeTcpPort();
    const connector = new AcmeConnector(settings(pebble, { challenge: { type: 'http-01', mode: 'standalone', listenAddress: '127.0.0.1', port: wrongPort } }), context());
    const error = await connector.issue(issueRequest(opensslCsr('unanswered.example.test').csrPem, ['unanswered.example.test'])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CaError);
    const caError = error as CaError;
    expect(caError.retryable).toBe(false);
    expect(caError.message).toContain('unanswered.example.test');
    expect(caError.message).toContain('urn:ietf:params:acme:error:connection');
    expect(caError.message).toMatch(/connection refused/i);
    expect(caError.caDetail).toMatchObject({ type: 'urn:ietf:params:acme:error:connection' });
  });

  it('turns an order pebble refuses outright into a CaError with pebble\'s problem document', async () => {
    const connector = new AcmeConnector(settings(pebble, { challenge: { type: 'http-01', mode: 'standalone', listenAddress: '127.0.0.1', port: httpPort } }), context());
    // An underscore is not allowed in a host name, so pebble refuses the identifier in newOrder.
    const error = await connector.issue(issueRequest(opensslCsr('bad_name.example.test').csrPem, ['bad_name.example.test'])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CaError);
    expect((error as CaError).message).toMatch(/^The ACME server refused the new order: urn:ietf:params:acme:error:\w+: .+/);
    expect((error as CaError).retryable).toBe(false);
  });

  it('refuses with a clear message when the terms of service are not agreed', async () => {
    const connector = new AcmeConnector(settings(pebble, { termsOfServiceAgreed: false, challenge: { type: 'http-01', mode: 'standalone', listenAddress: '127.0.0.1', port: httpPort } }), context());
    const error = await connector.issue(issueRequest(opensslCsr('terms.example.test').csrPem, ['terms.example.test'])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CaError);
    expect((error as CaError).message).toContain('requires agreeing to its terms of service');
    expect((error as CaError).message).toContain('termsOfServiceAgreed');
  });

  it('issues a wildcard certificate through dns-01 and a hook that drives challtestsrv', async () => {
    const hook = join(work, 'dns-hook.mjs');
    const calls = join(work, 'dns-hook-calls.log');
    writeFileSync(
      hook,
      `import { appendFileSync } from 'node:fs';
const [name, value] = process.argv.slice(2);
const action = process.env.ACME_DNS_ACTION;
appendFileSync(${JSON.stringify(calls)}, action + ' ' + name + '\\n');
const path = action === 'present' ? '/set-txt' : '/clear-txt';
const body = action === 'present' ? { host: name + '.', value } : { host: name + '.' };
const res = await fetch(${JSON.stringify(dns.managementUrl)} + path, { method: 'POST', body: JSON.stringify(body) });
if (!res.ok) { console.error('challtestsrv said ' + res.status); process.exit(1); }
`,
    );
    const connector = new AcmeConnector(settings(pebble, { challenge: { type: 'dns-01', hookCommand: `'${process.execPath}' '${hook}'`, propagationSeconds: 0 } }), context());
    const { csrPem, keyFile } = opensslCsr('*.wild.example.test', 'wild.example.test');

    const result = await connector.issue(issueRequest(csrPem, ['*.wild.example.test', 'wild.example.test']));

    expect(result.status).toBe('ISSUED');
    if (result.status !== 'ISSUED') return;
    const { san, verify } = checkIssued(result.certificatePem, result.chainPems, await pebble.rootPem(), keyFile);
    expect(san).toContain('DNS:*.wild.example.test');
    expect(verify).toContain('leaf.pem: OK');
    const log = readFileSync(calls, 'utf8').trim().split('\n').sort();
    // Both authorizations (the wildcard's and the base name's) use the same record name.
    expect(log).toEqual(['cleanup _acme-challenge.wild.example.test', 'cleanup _acme-challenge.wild.example.test', 'present _acme-challenge.wild.example.test', 'present _acme-challenge.wild.example.test']);
  });

  it('fails the order with the hook\'s own message when the dns-01 hook fails', async () => {
    const connector = new AcmeConnector(settings(pebble, { challenge: { type: 'dns-01', hookCommand: 'echo "no API token for this zone" >&2; exit 3; :', propagationSeconds: 0 } }), context());
    const error = await connector.issue(issueRequest(opensslCsr('*.hookfail.example.test').csrPem, ['*.hookfail.example.test'])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CaError);
    expect((error as CaError).message).toContain('exited with 3: no API token for this zone');
  });

  it('reports health from the directory, and no renewal window where the directory offers no renewalInfo', async () => {
    const connector = new AcmeConnector(settings(pebble, { challenge: { type: 'http-01', mode: 'standalone', listenAddress: '127.0.0.1', port: httpPort } }), context());
    expect(await connector.health()).toEqual({ healthy: true, message: `ACME directory ${pebble.directoryUrl} answers` });
    // Debian's pebble 2.4 has no ACME Renewal Information: best effort gives undefined.
    const issued = await connector.issue(issueRequest(opensslCsr('ari.example.test').csrPem, ['ari.example.test']));
    if (issued.status === 'ISSUED') expect(await connector.renewalWindow(issued.certificatePem)).toBeUndefined();

    const untrusting = new AcmeConnector(settings(pebble, { tlsCaCertificatePem: undefined, challenge: { type: 'http-01', mode: 'standalone', listenAddress: '127.0.0.1', port: httpPort } }), context());
    const health = await untrusting.health();
    expect(health.healthy).toBe(false);
    expect(health.message).toContain('Could not reach the ACME server');
  });

  it('refuses a profile at save, since Debian\'s pebble lists no profiles in its directory', async () => {
    const problem = await acmeProfileProblem({ directoryUrl: pebble.directoryUrl, tlsCaCertificatePem: pebble.tlsCaPem, profile: 'shortlived' });
    expect(problem).toBe(`profile "shortlived": the ACME CA at ${pebble.directoryUrl} offers no profiles (its directory has no meta.profiles); leave profile empty to get its default certificate`);
  });

  it('turns an unreachable directory into a retryable CaError', async () => {
    const closedPort = await freeTcpPort();
    const connector = new AcmeConnector(
      acmeCaSettingsSchema.parse({ type: 'ACME', directoryUrl: `https://127.0.0.1:${closedPort}/dir`, termsOfServiceAgreed: true, challenge: { type: 'http-01', port: httpPort } }),
      context(),
    );
    const error = await connector.issue(issueRequest(opensslCsr('down.example.test').csrPem, ['down.example.test'])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CaError);
    expect((error as CaError).retryable).toBe(true);
    expect((error as CaError).message).toContain(`127.0.0.1:${closedPort}`);
  });
});
