import { execFileSync, spawnSync } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SEALED_KEY_IDS } from '../../src/main/core/ca/builtin';
import { fileDekStore, openDek } from '../../src/main/core/dek';
import { createSatellite } from '../../src/main/core/satellite';
import { openInventoryStore } from '../../src/main/core/store';
import { openTestSatellite, TEST_DEK_PASSPHRASE, type TestSatellite } from '../helpers/test-satellite';
import { describeWithTools, TOOLS } from '../helpers/tools';

// Issue 17: a contained built-in CA. Made with name constraints (permitted DNS internal.example.com,
// IP 10.0.0.0/8), its issuing certificate carries them (critical); the policy refuses names
// outside before any key is made; and a certificate forced outside them, signed in the test with
// the constrained intermediate's own key (taken out of the inventory with the DEK), fails
// openssl verify with a name-constraints error.

const CONSTRAINTS = { dns: ['internal.example.com'], ip: ['10.0.0.0/8'] };

describeWithTools([TOOLS.openssl])('a built-in CA with name constraints', () => {
  let test: TestSatellite;
  const file = (name: string) => join(test.work, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: test.work, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

  beforeAll(async () => {
    test = await openTestSatellite('name-constraints', { caNameConstraints: CONSTRAINTS });
    const ca = await test.satellite.call('getBuiltinCa', {});
    writeFileSync(file('root.pem'), ca.rootPem);
    writeFileSync(file('intermediate.pem'), ca.chainPems[0]!);
  });
  afterAll(() => test?.close());

  it('its issuing certificate carries them, critical, as openssl reads them', () => {
    const text = openssl('x509', '-in', 'intermediate.pem', '-noout', '-text');
    expect(text).toMatch(/X509v3 Name Constraints: critical\s+Permitted:\s+DNS:internal\.example\.com\s+IP:10\.0\.0\.0\/255\.0\.0\.0/);
  });

  it('issues inside them, and openssl verifies the chain', async () => {
    const body = test.body('web.internal.example.com');
    body.csrAttributes!.subjectAlternativeNamesByType = { dnsNames: ['web.internal.example.com'], ipAddresses: ['10.1.2.3'] };
    const { rpcInputSchemas } = await import('../../src/shared/client');
    const record = await test.satellite.call('requestCertificate', rpcInputSchemas.requestCertificate.parse(body));
    expect(record.status, record.errorInformation?.message).toBe('ISSUED');
    const { pem } = await test.satellite.call('getCertificateText', { id: record.certificateIds[0]!, chainOrder: 'EE_ONLY' });
    writeFileSync(file('inside.pem'), pem);
    expect(openssl('verify', '-CAfile', 'root.pem', '-untrusted', 'intermediate.pem', 'inside.pem')).toMatch(/inside\.pem: OK/);
  });

  it('the policy refuses a name or an address outside them, before any key is made', async () => {
    for (const [cn, ips] of [['www.example.org', []], ['db.internal.example.com', ['192.168.1.10']]] as const) {
      const body = test.body(cn);
      body.csrAttributes!.subjectAlternativeNamesByType = { dnsNames: [cn], ipAddresses: [...ips] };
      const { rpcInputSchemas } = await import('../../src/shared/client');
      const record = await test.satellite.call('requestCertificate', rpcInputSchemas.requestCertificate.parse(body));
      expect(record.status).toBe('REJECTED');
      expect(record.errorInformation?.message).toMatch(/is outside the built-in CA's name constraints \(DNS internal\.example\.com; IP 10\.0\.0\.0\/8\)/);
      expect(record.dekHash, 'a key was made for a refused request').toBeUndefined();
    }
  });

  it('a certificate forced outside them with the intermediate\'s own key fails openssl verify with a name-constraints error', async () => {
    // The constrained intermediate's key, out of the inventory with the DEK (as only an attacker with both could).
    await test.satellite.close();
    const store = openInventoryStore(join(test.dataDir, 'inventory.sqlite'));
    const dek = (await openDek(fileDekStore(join(test.dataDir, 'dek.json'), TEST_DEK_PASSPHRASE), { create: false }))!;
    const pkcs8 = dek.sealer().open(SEALED_KEY_IDS.intermediate, store.getSecret(SEALED_KEY_IDS.intermediate)!.blob);
    store.close();
    writeFileSync(file('intermediate.key'), createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({ type: 'pkcs8', format: 'pem' }) as string, { mode: 0o600 });
    pkcs8.fill(0);
    openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'evil.key', '-out', 'evil.csr', '-subj', '/CN=www.evil.example');
    writeFileSync(file('evil.ext'), 'subjectAltName=DNS:www.evil.example\n');
    openssl('x509', '-req', '-in', 'evil.csr', '-CA', 'intermediate.pem', '-CAkey', 'intermediate.key', '-CAcreateserial', '-days', '7', '-extfile', 'evil.ext', '-out', 'evil.pem');
    const verify = spawnSync('openssl', ['verify', '-CAfile', 'root.pem', '-untrusted', 'intermediate.pem', 'evil.pem'], { cwd: test.work, encoding: 'utf8' });
    expect(verify.status).not.toBe(0);
    expect(`${verify.stdout}${verify.stderr}`).toMatch(/permitted subtree violation/);
    // Reopen, so close() in afterAll has a satellite to close.
    test.satellite = await createSatellite({ dataDir: test.dataDir, dekStore: 'file', dekPassphrase: TEST_DEK_PASSPHRASE, caNameConstraints: CONSTRAINTS });
  });

  it('a CA\'s constraints are fixed: opening it with other ones is refused, naming the way out (a new issuing CA under the same root)', async () => {
    await test.satellite.close();
    test.satellite = await createSatellite({ dataDir: test.dataDir, dekStore: 'file', dekPassphrase: TEST_DEK_PASSPHRASE, caNameConstraints: { dns: ['other.example.com'], ip: [] } });
    await expect(test.satellite.call('getBuiltinCa', {})).rejects.toThrow(/issues with DNS internal\.example\.com; IP 10\.0\.0\.0\/8; an issuing CA's name constraints are fixed in its certificate .* run once with --new-issuing-ca and the constraints you want: the same root then signs a new issuing CA/);
  });
});
