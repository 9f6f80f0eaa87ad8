import { afterAll, beforeAll, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createPrivateKey, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithTools, TOOLS } from '../helpers/tools';
import { addIssuingCa, inventorySealedKeys, issuingKeyId, openBuiltinCa, type BuiltinCa, type SealedKeyStore } from '../../src/main/core/ca/builtin';
import { revocationPointers, rootPointers } from '../../src/main/core/ca/builtin/pki-paths';
import { silentLogger } from '../../src/main/core/common/log';
import { openInventoryStore, type InventoryStore } from '../../src/main/core/store';
import { csrNames } from '../../src/main/core/pki/csr-reader';
import { AesGcmSealer } from '../../src/main/core/vault';
import { durationSeconds } from '../../src/shared/durations';
import { issuingTemplateSchema } from '../../src/shared/settings';

// A new issuing CA under the built-in CA's existing root, judged by openssl: the new one carries
// its name constraints and a key of its own and issues from then on; what the old one issued
// still verifies, and is still revoked on the old one's CRL and by OCSP; the root's CRL is signed
// again to cover the new one. Relying parties that trust the root need nothing new.

const BASE = 'http://pki.example.test:7480';
const CONSTRAINTS = { dns: ['internal.example.test'], ip: [] };

const template = issuingTemplateSchema.parse({
  id: randomUUID(),
  name: 'Built-in CA',
  certificateAuthority: 'BUILTIN',
  caSettings: { type: 'BUILTIN' },
  keyTypes: [{ keyType: 'EC', keyCurves: ['P256'] }],
  validityPeriod: 'P397D',
  creationDate: new Date().toISOString(),
  modificationDate: new Date().toISOString(),
});

describeWithTools([TOOLS.openssl])('a new issuing CA under the existing root (checked with openssl)', () => {
  let work: string;
  let caDir: string;
  let store: InventoryStore;
  let keys: SealedKeyStore;
  const sealer = new AesGcmSealer(randomBytes(32), randomBytes(32).toString('hex'));
  let before: BuiltinCa;
  let after: BuiltinCa;
  let n = 0;
  const file = (name: string) => join(work, name);
  const openssl = (...args: string[]) => {
    const r = spawnSync('openssl', args, { cwd: work, encoding: 'utf8', timeout: 60_000 });
    return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
  };
  const opensslOk = (...args: string[]) => {
    const r = openssl(...args);
    if (r.code !== 0) throw new Error(`openssl ${args.join(' ')} failed:\n${r.out}`);
    return r.out;
  };
  const open = (nameConstraints?: typeof CONSTRAINTS) =>
    openBuiltinCa({ dir: caDir, sealer, sealedKeys: keys, pointersFor: (g) => revocationPointers(BASE, g), rootPointers: rootPointers(BASE), nameConstraints });

  /** A certificate from `ca` for a CSR openssl made; its file name. */
  async function issue(ca: BuiltinCa, cn: string): Promise<string> {
    const base = `leaf-${++n}`;
    opensslOk('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${base}.key`, '-out', `${base}.csr`, '-subj', `/CN=${cn}`, '-addext', `subjectAltName=DNS:${cn}`);
    const csrPem = readFileSync(file(`${base}.csr`), 'utf8');
    const result = await ca.issue({ requestId: randomUUID(), csrPem, validitySeconds: durationSeconds('P7D'), extendedKeyUsages: ['SERVER_AUTH'], template, checked: csrNames(csrPem) });
    if (result.status !== 'ISSUED') throw new Error('expected ISSUED');
    writeFileSync(file(`${base}.pem`), result.certificatePem);
    return `${base}.pem`;
  }

  /** The OCSP answer `ca` gives for `cert` issued by `issuer`, as `openssl ocsp` reads and verifies it. */
  function ocsp(ca: BuiltinCa, issuer: string, cert: string): string {
    opensslOk('ocsp', '-issuer', issuer, '-cert', cert, '-reqout', 'ocsp-req.der', '-no_nonce');
    writeFileSync(file('ocsp-resp.der'), ca.ocspResponse(readFileSync(file('ocsp-req.der'))));
    return opensslOk('ocsp', '-respin', 'ocsp-resp.der', '-issuer', issuer, '-cert', cert, '-CAfile', 'root.pem', '-no_nonce');
  }

  let oldLeaf: string;
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'ks-new-issuing-'));
    mkdirSync(join(work, 'data'));
    caDir = join(work, 'data', 'builtin-ca');
    store = openInventoryStore(join(work, 'data', 'inventory.sqlite'));
    keys = inventorySealedKeys(store);
    before = await open();
    writeFileSync(file('root.pem'), before.rootPem());
    writeFileSync(file('g1.pem'), before.chainPems()[0]!);
    oldLeaf = await issue(before, 'www.example.com');

    const made = await addIssuingCa(caDir, sealer, keys, silentLogger, { nameConstraints: CONSTRAINTS, rootPointers: rootPointers(BASE) });
    expect(made.generation).toBe(2);
    after = await open(CONSTRAINTS);
    writeFileSync(file('g2.pem'), after.chainPems()[0]!);
  });
  afterAll(() => {
    store?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('the new issuing CA is signed by the same root, with a key of its own, its name constraints (critical) and the root\'s CRL and certificate named', () => {
    const text = opensslOk('x509', '-in', 'g2.pem', '-noout', '-text');
    expect(text).toMatch(/Subject: CN\s?=\s?Keypair Satellite Issuing CA [0-9A-F]{8} G2, O\s?=\s?Keypair Satellite/);
    expect(text).toMatch(/X509v3 Name Constraints: critical\s+Permitted:\s+DNS:internal\.example\.test/);
    expect(text).toMatch(/CA:TRUE, pathlen:0/);
    expect(text).toContain(`${BASE}/pki/root.crl`);
    expect(opensslOk('verify', '-CAfile', 'root.pem', 'g2.pem')).toMatch(/g2\.pem: OK/);
    const spki = (f: string) => opensslOk('x509', '-in', f, '-noout', '-pubkey');
    expect(spki('g2.pem')).not.toBe(spki('g1.pem'));
    expect(after.issuingGeneration).toBe(2);
    expect(after.meta.nameConstraints).toEqual(CONSTRAINTS);
    expect(after.issuingCaSummaries().map((i) => [i.generation, i.issues, i.nameConstraints])).toEqual([
      [1, false, false],
      [2, true, true],
    ]);
  });

  it('it issues from now on, naming its own CRL and certificate; openssl verifies the chain to the root', async () => {
    const leaf = await issue(after, 'web.internal.example.test');
    expect(after.chainPems()[1]).toBe(before.rootPem());
    expect(opensslOk('verify', '-CAfile', 'root.pem', '-untrusted', 'g2.pem', leaf)).toMatch(/: OK/);
    const text = opensslOk('x509', '-in', leaf, '-noout', '-text');
    expect(text).toContain(`URI:${BASE}/pki/intermediate-g2.crl`);
    expect(text).toContain(`CA Issuers - URI:${BASE}/pki/intermediate-g2.cer`);
    expect(text).toMatch(/Issuer: CN\s?=\s?Keypair Satellite Issuing CA [0-9A-F]{8} G2/);
    // The old one's chain does not verify it: it is not what signed it.
    expect(openssl('verify', '-CAfile', 'root.pem', '-untrusted', 'g1.pem', leaf).code).not.toBe(0);
  });

  it('a certificate forced outside its constraints with the new key fails openssl verify; the old one\'s certificates still verify', () => {
    const pkcs8 = sealer.open(issuingKeyId(2), keys.read(issuingKeyId(2))!);
    writeFileSync(file('g2.key'), createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({ type: 'pkcs8', format: 'pem' }) as string, { mode: 0o600 });
    pkcs8.fill(0);
    opensslOk('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'evil.key', '-out', 'evil.csr', '-subj', '/CN=www.evil.example');
    writeFileSync(file('evil.ext'), 'subjectAltName=DNS:www.evil.example\n');
    opensslOk('x509', '-req', '-in', 'evil.csr', '-CA', 'g2.pem', '-CAkey', 'g2.key', '-CAcreateserial', '-days', '7', '-extfile', 'evil.ext', '-out', 'evil.pem');
    const evil = openssl('verify', '-CAfile', 'root.pem', '-untrusted', 'g2.pem', 'evil.pem');
    expect(evil.code).not.toBe(0);
    expect(evil.out).toMatch(/permitted subtree violation/);

    expect(opensslOk('verify', '-CAfile', 'root.pem', '-untrusted', 'g1.pem', oldLeaf)).toMatch(/: OK/);
    expect(opensslOk('x509', '-in', oldLeaf, '-noout', '-text')).toContain(`URI:${BASE}/pki/intermediate.crl`);
  });

  it('the root signs its CRL again (number 2), valid until the new issuing CA expires; with it, verify -crl_check_all accepts both generations\' certificates', async () => {
    writeFileSync(file('root.crl'), after.rootCrlDer()!);
    const text = opensslOk('crl', '-inform', 'DER', '-in', 'root.crl', '-noout', '-text', '-CAfile', 'root.pem');
    expect(text).toMatch(/verify OK/);
    expect(text).toMatch(/X509v3 CRL Number:\s+2\b/);
    expect(text).toMatch(/No Revoked Certificates/);
    expect(/Next Update: (.+)/.exec(text)?.[1]?.trim()).toBe(opensslOk('x509', '-in', 'g2.pem', '-noout', '-enddate').trim().split('=')[1]);

    const newLeaf = await issue(after, 'api.internal.example.test');
    writeFileSync(file('g1.crl'), (await after.crlDer(1))!);
    writeFileSync(file('g2.crl'), (await after.crlDer(2))!);
    for (const [leaf, issuer, crl] of [
      [oldLeaf, 'g1.pem', 'g1.crl'],
      [newLeaf, 'g2.pem', 'g2.crl'],
    ] as const) {
      expect(opensslOk('verify', '-crl_check_all', '-CAfile', 'root.pem', '-untrusted', issuer, '-CRLfile', 'root.crl', '-CRLfile', crl, leaf)).toMatch(/: OK/);
    }
    expect(await after.crlDer(3)).toBeUndefined();
    expect(Buffer.from(after.caCertificateDer('intermediate', 1)!).equals(Buffer.from(before.caCertificateDer('intermediate')!))).toBe(true);
  });

  it('a certificate of the old issuing CA revoked now goes on the old one\'s CRL, signed by its key, and OCSP says revoked; the new one\'s CRL does not list it', async () => {
    const victim = await issue(before, 'old.example.com');
    expect(ocsp(after, 'g1.pem', victim)).toMatch(/: good/);
    await after.revoke(readFileSync(file(victim), 'utf8'), 'superseded');
    writeFileSync(file('g1-after.crl'), (await after.crlDer(1))!);
    writeFileSync(file('g2-after.crl'), (await after.crlDer(2))!);
    const serial = opensslOk('x509', '-in', victim, '-noout', '-serial').trim().split('=')[1]!;
    const g1Crl = opensslOk('crl', '-inform', 'DER', '-in', 'g1-after.crl', '-noout', '-text');
    expect(g1Crl).toMatch(/Issuer: CN\s?=\s?Keypair Satellite Issuing CA [0-9A-F]{8}, O/);
    expect(g1Crl).toContain(`Serial Number: ${serial}`);
    expect(opensslOk('crl', '-inform', 'DER', '-in', 'g2-after.crl', '-noout', '-text')).not.toContain(serial);
    writeFileSync(file('g1-chain.pem'), readFileSync(file('g1.pem'), 'utf8') + readFileSync(file('root.pem'), 'utf8'));
    expect(opensslOk('crl', '-inform', 'DER', '-in', 'g1-after.crl', '-noout', '-CAfile', 'g1-chain.pem')).toMatch(/verify OK/);

    const refused = openssl('verify', '-crl_check', '-CAfile', 'root.pem', '-untrusted', 'g1.pem', '-CRLfile', 'g1-after.crl', victim);
    expect(refused.code).not.toBe(0);
    expect(refused.out).toMatch(/certificate revoked/);
    const answer = ocsp(after, 'g1.pem', victim);
    expect(answer).toMatch(/Response verify OK/);
    expect(answer).toMatch(/: revoked/);
    expect(answer).toMatch(/Reason: superseded/);
  });

  it('a certificate of the new one revoked goes on the new one\'s CRL, and OCSP answers for it with the new one\'s responder', async () => {
    const leaf = await issue(after, 'gone.internal.example.test');
    const good = ocsp(after, 'g2.pem', leaf);
    expect(good).toMatch(/Response verify OK/);
    expect(good).toMatch(/: good/);
    await after.revoke(readFileSync(file(leaf), 'utf8'), 'keyCompromise');
    writeFileSync(file('g2-revoked.crl'), (await after.crlDer(2))!);
    const serial = opensslOk('x509', '-in', leaf, '-noout', '-serial').trim().split('=')[1]!;
    expect(opensslOk('crl', '-inform', 'DER', '-in', 'g2-revoked.crl', '-noout', '-text')).toContain(`Serial Number: ${serial}`);
    expect(ocsp(after, 'g2.pem', leaf)).toMatch(/: revoked[\s\S]*Reason: keyCompromise/);
  });

  it('opening it again keeps the new issuing CA; opening it with other constraints is refused, naming the way out', async () => {
    const again = await open();
    expect(again.issuingGeneration).toBe(2);
    expect(again.chainPems()[0]).toBe(after.chainPems()[0]);
    await expect(open({ dns: ['other.example.test'], ip: [] })).rejects.toThrow(/issues with DNS internal\.example\.test; IP none; .*--new-issuing-ca/);
  });

  it('interrupted before ca.json says so (the key could not be stored: a full disk), the CA is as it was; leftovers of an interrupted run are written over', async () => {
    const caJson = readFileSync(join(caDir, 'ca.json'), 'utf8');
    const rootCrl = readFileSync(join(caDir, 'root.crl'));
    const full: SealedKeyStore = {
      read: (id) => keys.read(id),
      write: () => {
        throw new Error('database or disk is full');
      },
    };
    await expect(addIssuingCa(caDir, sealer, full, silentLogger, {})).rejects.toThrow(/disk is full/);
    expect(readFileSync(join(caDir, 'ca.json'), 'utf8')).toBe(caJson);
    expect(readFileSync(join(caDir, 'root.crl')).equals(rootCrl)).toBe(true);
    expect(existsSync(join(caDir, 'intermediate-g3.pem'))).toBe(false);
    expect((await open()).issuingGeneration).toBe(2);
    // A run killed after it wrote the certificate, before ca.json: what it left is not used, and the next run writes over it.
    writeFileSync(join(caDir, 'intermediate-g3.pem'), 'left by an interrupted run');
    expect((await open()).issuingGeneration).toBe(2);
  });

  it('a third one replaces the second: each keeps its own key, certificate and CRL', async () => {
    const made = await addIssuingCa(caDir, sealer, keys, silentLogger, {});
    expect(made.generation).toBe(3);
    const third = await open();
    expect(third.issuingGeneration).toBe(3);
    expect(third.meta.nameConstraints).toBeUndefined();
    const leaf = await issue(third, 'www.example.org');
    writeFileSync(file('g3.pem'), third.chainPems()[0]!);
    expect(opensslOk('x509', '-in', 'g3.pem', '-noout', '-subject')).toMatch(/Issuing CA [0-9A-F]{8} G3/);
    expect(opensslOk('verify', '-CAfile', 'root.pem', '-untrusted', 'g3.pem', leaf)).toMatch(/: OK/);
    expect(third.issuingCaSummaries().map((i) => i.issues)).toEqual([false, false, true]);
    for (const g of [1, 2, 3]) expect(await third.crlDer(g)).toBeInstanceOf(Uint8Array);
  });
});
