import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AcmeConnector } from '../../src/main/core/ca/acme';
import { CaError, type IssueRequest, type SecretVault } from '../../src/main/core/ca/connector';
import type { Logger } from '../../src/main/core/common/log';
import { acmeCaSettingsSchema } from '../../src/shared/ca-settings';
import type { IssuingTemplate } from '../../src/shared/settings';
import { freeTcpPort, startChalltestsrv, startPebble, type Challtestsrv, type Pebble } from '../helpers/pebble';
import { describeWithTools, TOOLS } from '../helpers/tools';
import { csrNames } from '../../src/main/core/pki/csr-reader';

// pebble in External Account Binding mode: newAccount needs a key id and an HMAC signature
// with the key the CA handed out. The HMAC key lives only in the connector's secret vault.

const KEY_ID = 'kid-satellite';
const HMAC_KEY = randomBytes(32).toString('base64url');
const HMAC_SECRET_ID = 'acme-eab-hmac:pebble';

function vaultWith(entries: Record<string, string>): SecretVault {
  const map = new Map(Object.entries(entries).map(([k, v]) => [k, Buffer.from(v)]));
  return {
    read: async (id) => map.get(id),
    write: async (id, plaintext) => void map.set(id, Buffer.from(plaintext)),
    remove: async (id) => void map.delete(id),
  };
}

describeWithTools([TOOLS.pebble, TOOLS.challtestsrv, TOOLS.openssl])('ACME connector against pebble in EAB mode', () => {
  let work: string;
  let dns: Challtestsrv;
  let pebble: Pebble;
  let httpPort: number;
  const logged: string[] = [];
  const log: Logger = { log: (level, message, fields) => void logged.push(JSON.stringify({ level, message, fields })) };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'ks-acme-eab-'));
    httpPort = await freeTcpPort();
    dns = await startChalltestsrv();
    pebble = await startPebble({ httpPort, dnsServer: dns.dnsAddress, externalAccountMACKeys: { [KEY_ID]: HMAC_KEY } });
  });

  afterAll(async () => {
    await pebble?.stop();
    await dns?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  function csr(name: string): string {
    execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`, '-addext', `subjectAltName=DNS:${name}`], { cwd: work, stdio: 'ignore' });
    return readFileSync(join(work, `${name}.csr`), 'utf8');
  }

  function request(name: string): IssueRequest {
    return { requestId: `req-${name}`, csrPem: csr(name), validitySeconds: 86400, extendedKeyUsages: ['SERVER_AUTH'], template: {} as IssuingTemplate, checked: csrNames(csr(name)) };
  }

  function connector(secrets: SecretVault, eab: { eabKeyId?: string; eabHmacKeySecretId?: string }): AcmeConnector {
    const settings = acmeCaSettingsSchema.parse({
      type: 'ACME',
      directoryUrl: pebble.directoryUrl,
      termsOfServiceAgreed: true,
      tlsCaCertificatePem: pebble.tlsCaPem,
      orderTimeoutSeconds: 60,
      challenge: { type: 'http-01', mode: 'standalone', listenAddress: '127.0.0.1', port: httpPort },
      ...eab,
    });
    return new AcmeConnector(settings, { secrets, workDir: work, log });
  }

  it('registers with the key id and HMAC key from the vault, then issues', async () => {
    const c = connector(vaultWith({ [HMAC_SECRET_ID]: HMAC_KEY }), { eabKeyId: KEY_ID, eabHmacKeySecretId: HMAC_SECRET_ID });
    expect((await c.health()).message).toContain('requires External Account Binding');
    const result = await c.issue(request('eab.example.test'));
    expect(result.status).toBe('ISSUED');
    expect(logged.join('\n')).not.toContain(HMAC_KEY);
  });

  it('says what to enter when the directory requires EAB and none is configured', async () => {
    const error = await connector(vaultWith({}), {}).issue(request('no-eab.example.test')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CaError);
    expect((error as CaError).message).toContain('requires External Account Binding');
  });

  it('says which secret is missing when the HMAC key is not in the vault', async () => {
    const error = await connector(vaultWith({}), { eabKeyId: KEY_ID, eabHmacKeySecretId: HMAC_SECRET_ID }).issue(request('no-hmac.example.test')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CaError);
    expect((error as CaError).message).toContain(`No EAB HMAC key is stored under "${HMAC_SECRET_ID}"`);
  });

  it('carries pebble\'s refusal of a wrong HMAC key', async () => {
    const wrongKey = randomBytes(32).toString('base64url');
    const error = await connector(vaultWith({ [HMAC_SECRET_ID]: wrongKey }), { eabKeyId: KEY_ID, eabHmacKeySecretId: HMAC_SECRET_ID }).issue(request('wrong-hmac.example.test')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CaError);
    expect((error as CaError).message).toMatch(/^The ACME server refused the account registration: urn:ietf:params:acme:error:\w+: .+/);
    expect((error as CaError).message).not.toContain(wrongKey);
    expect((error as CaError).retryable).toBe(false);
  });
});
