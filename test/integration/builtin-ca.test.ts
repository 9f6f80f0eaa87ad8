import { afterAll, beforeAll, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithTools, TOOLS } from '../helpers/tools';
import { inventorySealedKeys, openBuiltinCa, SEALED_KEY_IDS, type BuiltinCa, type SealedKeyStore } from '../../src/main/core/ca/builtin';
import { openInventoryStore, type InventoryStore } from '../../src/main/core/store';
import { CaError, type CheckedNames, type IssueRequest } from '../../src/main/core/ca/connector';
import { csrNames } from '../../src/main/core/pki/csr-reader';
import { AesGcmSealer } from '../../src/main/core/vault';
import { durationSeconds } from '../../src/shared/durations';
import { issuingTemplateSchema, type ExtendedKeyUsage } from '../../src/shared/settings';

// The built-in CA judged by openssl: chains verify, the extensions are what RFC 5280 asks,
// and a revoked certificate is on the CRL and fails `verify -crl_check`.

function openssl(args: string[], input?: string): { code: number; out: string } {
  const r = spawnSync('openssl', args, { encoding: 'utf8', input, timeout: 60_000 });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}
function opensslOk(args: string[]): string {
  const r = openssl(args);
  if (r.code !== 0) throw new Error(`openssl ${args.join(' ')} failed:\n${r.out}`);
  return r.out;
}

const template = issuingTemplateSchema.parse({
  id: randomUUID(),
  name: 'Built-in CA',
  certificateAuthority: 'BUILTIN',
  caSettings: { type: 'BUILTIN' },
  keyTypes: [{ keyType: 'RSA', keyLengths: [2048] }],
  validityPeriod: 'P397D',
  creationDate: new Date().toISOString(),
  modificationDate: new Date().toISOString(),
});

/** The vault's real sealer under a random DEK: sealed keys carry the blob header rotation reads. */
function testSealer(): AesGcmSealer {
  return new AesGcmSealer(randomBytes(32), randomBytes(32).toString('hex'));
}

/** A SealedKeyStore in memory, for CAs this suite makes on the side. */
function memoryKeys(): SealedKeyStore & { rows: Map<string, { dekHash: string; blob: Buffer }> } {
  const rows = new Map<string, { dekHash: string; blob: Buffer }>();
  return { rows, read: (id) => rows.get(id)?.blob, write: (id, dekHash, blob) => void rows.set(id, { dekHash, blob }) };
}

describeWithTools([TOOLS.openssl])('built-in CA (checked with openssl)', () => {
  let work: string;
  let caDir: string;
  let ca: BuiltinCa;
  let store: InventoryStore;
  let sealedKeys: SealedKeyStore;
  const sealer = testSealer();
  let rootFile: string;
  let intermediateFile: string;
  let n = 0;

  /** A CSR made by the real `openssl req -new -newkey`, with its SANs. */
  function makeCsr(newkey: string[], cn: string, san: string): string {
    const base = join(work, `csr-${++n}`);
    opensslOk(['req', '-new', ...newkey, '-nodes', '-keyout', `${base}.key`, '-out', `${base}.csr`, '-subj', `/CN=${cn}/O=Acme Corp/C=DE`, '-addext', `subjectAltName=${san}`]);
    return readFileSync(`${base}.csr`, 'utf8');
  }

  /** The CSR's own names, as the pipeline's policy would have checked them (none for text that is not a CSR). */
  function namesIn(csrPem: string): CheckedNames {
    try {
      return csrNames(csrPem);
    } catch {
      return { subject: { organizationalUnits: [] }, subjectAlternativeNamesByType: { dnsNames: [], ipAddresses: [], rfc822Names: [], uniformResourceIdentifiers: [] } };
    }
  }

  async function issue(csrPem: string, over: Partial<IssueRequest> = {}): Promise<string> {
    const result = await ca.issue({
      requestId: randomUUID(),
      csrPem,
      validitySeconds: durationSeconds('P7D'),
      extendedKeyUsages: ['SERVER_AUTH', 'CLIENT_AUTH'] as ExtendedKeyUsage[],
      template,
      checked: namesIn(csrPem),
      ...over,
    });
    if (result.status !== 'ISSUED') throw new Error('expected ISSUED');
    expect(result.chainPems).toEqual(ca.chainPems());
    const file = join(work, `cert-${++n}.pem`);
    writeFileSync(file, result.certificatePem);
    return file;
  }

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'ks-builtin-ca-'));
    caDir = join(work, 'data', 'builtin-ca');
    mkdirSync(join(work, 'data'));
    store = openInventoryStore(join(work, 'data', 'inventory.sqlite'));
    sealedKeys = inventorySealedKeys(store);
    ca = await openBuiltinCa({ dir: caDir, sealer, sealedKeys });
    [intermediateFile, rootFile] = ['intermediate.pem', 'root.pem'].map((f) => join(work, f)) as [string, string];
    writeFileSync(rootFile, ca.rootPem());
    writeFileSync(intermediateFile, ca.chainPems()[0]!);
  });
  afterAll(() => {
    store.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('makes a root (CA:TRUE, keyCertSign+cRLSign) and an intermediate (CA:TRUE pathlen:0) on first run', () => {
    const root = opensslOk(['x509', '-in', rootFile, '-noout', '-text']);
    expect(root).toMatch(/X509v3 Basic Constraints: critical\s+CA:TRUE/);
    expect(root).toMatch(/X509v3 Key Usage: critical\s+Certificate Sign, CRL Sign/);
    expect(root).toMatch(/NIST CURVE: P-384/);
    const rootYears = (Date.parse(opensslOk(['x509', '-in', rootFile, '-noout', '-enddate']).split('=')[1]!) - Date.now()) / (365 * 86_400_000);
    expect(rootYears).toBeGreaterThan(19.9);

    const inter = opensslOk(['x509', '-in', intermediateFile, '-noout', '-text']);
    expect(inter).toMatch(/X509v3 Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
    expect(inter).toMatch(/X509v3 Key Usage: critical\s+Certificate Sign, CRL Sign/);
    expect(inter).toMatch(/X509v3 Authority Key Identifier/);
    expect(opensslOk(['verify', '-CAfile', rootFile, intermediateFile])).toMatch(/: OK/);
  });

  it('keeps the CA keys sealed in the inventory secrets table (where DEK rotation rewraps them), never in clear, never in files', () => {
    expect(readdirSync(caDir).filter((name) => name.includes('key'))).toEqual([]);
    for (const [file, id] of [
      ['root.key.sealed', SEALED_KEY_IDS.root],
      ['intermediate.key.sealed', SEALED_KEY_IDS.intermediate],
    ] as const) {
      const row = store.getSecret(id)!;
      expect(row.dekHash).toBe(sealer.dekHash);
      const blob = row.blob;
      const clear = join(work, `${file}.der`);
      writeFileSync(clear, blob);
      expect(openssl(['pkey', '-inform', 'DER', '-in', clear, '-noout']).code).not.toBe(0);
      writeFileSync(clear, sealer.open(id, blob));
      expect(opensslOk(['pkey', '-inform', 'DER', '-in', clear, '-noout', '-text'])).toMatch(/P-384/);
      rmSync(clear);
    }
  });

  it.each([
    ['RSA 2048', ['-newkey', 'rsa:2048'], 'Digital Signature, Key Encipherment', /Public-Key: \(2048 bit\)/],
    ['EC P-256', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'], 'Digital Signature', /NIST CURVE: P-256/],
    ['Ed25519', ['-newkey', 'ed25519'], 'Digital Signature', /ED25519/],
  ])('issues for a %s CSR from openssl req: verify passes and the certificate says what was asked', async (_label, newkey, keyUsage, keyText) => {
    const cn = `host${n}.example.com`;
    const csr = makeCsr(newkey, cn, `DNS:${cn},DNS:alt.example.com,IP:192.0.2.7`);
    const cert = await issue(csr);

    expect(opensslOk(['verify', '-CAfile', rootFile, '-untrusted', intermediateFile, cert]).trim()).toBe(`${cert}: OK`);
    const text = opensslOk(['x509', '-in', cert, '-noout', '-text']);
    expect(text).toMatch(new RegExp(`Subject: CN\\s?=\\s?${cn.replace(/\./g, '\\.')}, O\\s?=\\s?Acme Corp, C\\s?=\\s?DE`));
    expect(text).toMatch(new RegExp(`X509v3 Subject Alternative Name: \\s+DNS:${cn.replace(/\./g, '\\.')}, DNS:alt\\.example\\.com, IP Address:192\\.0\\.2\\.7`));
    expect(text).toMatch(/X509v3 Basic Constraints: critical\s+CA:FALSE/);
    expect(text).toMatch(new RegExp(`X509v3 Key Usage: critical\\s+${keyUsage}\\n`));
    expect(text).toMatch(/X509v3 Extended Key Usage: \s+TLS Web Server Authentication, TLS Web Client Authentication/);
    expect(text).toMatch(/X509v3 Subject Key Identifier/);
    expect(text).toMatch(/X509v3 Authority Key Identifier/);
    expect(text).toMatch(keyText);

    // The key in the certificate is the CSR's.
    const csrFile = join(work, `req-${n}.csr`);
    writeFileSync(csrFile, csr);
    expect(opensslOk(['x509', '-in', cert, '-noout', '-pubkey'])).toBe(opensslOk(['req', '-in', csrFile, '-noout', '-pubkey']));

    // P7D: notAfter - notBefore = 7 days + the 5-minute back-dating.
    const start = Date.parse(opensslOk(['x509', '-in', cert, '-noout', '-startdate']).trim().split('=')[1]!);
    const end = Date.parse(opensslOk(['x509', '-in', cert, '-noout', '-enddate']).trim().split('=')[1]!);
    expect(end - start).toBe(7 * 86_400_000 + 5 * 60_000);
    expect(Math.abs(end - (Date.now() + 7 * 86_400_000))).toBeLessThan(120_000);

    // A random positive serial of 128 bits (RFC 5280 asks for at least 64 bits of entropy, at most 20 octets).
    const serial = opensslOk(['x509', '-in', cert, '-noout', '-serial']).trim().split('=')[1]!;
    expect(serial).toMatch(/^[0-7][0-9A-F]{31}$/);
    expect(serial).not.toMatch(/^00/);
  });

  it('issues without EKU when none is asked, and different serials each time', async () => {
    const csr = makeCsr(['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'], 'noeku.example.com', 'DNS:noeku.example.com');
    const a = await issue(csr, { extendedKeyUsages: [] });
    const b = await issue(csr);
    expect(opensslOk(['x509', '-in', a, '-noout', '-text'])).not.toMatch(/Extended Key Usage/);
    expect(opensslOk(['x509', '-in', a, '-noout', '-serial'])).not.toBe(opensslOk(['x509', '-in', b, '-noout', '-serial']));
  });

  it('refuses a CSR whose signature does not match, and one that is not a CSR, with clear messages', async () => {
    const csr = makeCsr(['-newkey', 'rsa:2048'], 'tamper.example.com', 'DNS:tamper.example.com');
    const der = Buffer.from(csr.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    const at = der.indexOf(Buffer.from('tamper.example.com'));
    der[at] = 'd'.charCodeAt(0); // "damper.example.com": same length, so still well-formed DER
    const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE REQUEST-----\n`;
    const err = await issue(tampered).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CaError);
    expect((err as CaError).retryable).toBe(false);
    expect((err as Error).message).toMatch(/^certificateSigningRequest: the signature does not match the public key in the CSR/);

    await expect(issue('hello')).rejects.toThrow(/^certificateSigningRequest is not a PEM PKCS#10 CSR/);
  });

  it('refuses a DNS name the pipeline did not check against the template', async () => {
    const csr = makeCsr(['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'], 'ok.example.com', 'DNS:ok.example.com,DNS:sneaky.example.net');
    const names = csrNames(csr);
    names.subjectAlternativeNamesByType.dnsNames = ['ok.example.com'];
    await expect(issue(csr, { checked: names })).rejects.toThrow(/the DNS name "sneaky\.example\.net" was not among the values checked against the template's policy/);
  });

  it('revocation puts the serial on a CRL signed by the intermediate, and openssl -crl_check then refuses the certificate', async () => {
    const revoked = await issue(makeCsr(['-newkey', 'rsa:2048'], 'revoke.example.com', 'DNS:revoke.example.com'), {});
    const kept = await issue(makeCsr(['-newkey', 'rsa:2048'], 'keep.example.com', 'DNS:keep.example.com'), {});
    await ca.revoke(readFileSync(revoked, 'utf8'), 'keyCompromise');
    await ca.revoke(readFileSync(revoked, 'utf8'), 'superseded'); // again: the first record stays

    const crlFile = join(work, 'crl.pem');
    writeFileSync(crlFile, await ca.crl());
    const serial = opensslOk(['x509', '-in', revoked, '-noout', '-serial']).trim().split('=')[1]!;
    const crlText = opensslOk(['crl', '-in', crlFile, '-text', '-noout']);
    expect(crlText).toContain(`Serial Number: ${serial}`);
    expect(crlText).toMatch(/CRL Reason Code:\s+Key Compromise/);
    expect(crlText.match(/Serial Number:/g)).toHaveLength(1);
    expect(crlText).toMatch(/X509v3 CRL Number:\s+\d+/);
    expect(crlText).toMatch(/Issuer: CN\s?=\s?Keypair Satellite Issuing CA/);

    const chainFile = join(work, 'chain.pem');
    writeFileSync(chainFile, ca.chainPems().join(''));
    expect(opensslOk(['crl', '-in', crlFile, '-CAfile', chainFile, '-noout'])).toMatch(/verify OK/);

    const failed = openssl(['verify', '-crl_check', '-CAfile', rootFile, '-untrusted', intermediateFile, '-CRLfile', crlFile, revoked]);
    expect(failed.code).not.toBe(0);
    expect(failed.out).toMatch(/certificate revoked/);
    expect(opensslOk(['verify', '-crl_check', '-CAfile', rootFile, '-untrusted', intermediateFile, '-CRLfile', crlFile, kept])).toMatch(/: OK/);

    // Every CRL has a higher number.
    const number = (text: string) => Number(/X509v3 CRL Number:\s+(\d+)/.exec(text)![1]);
    writeFileSync(crlFile, await ca.crl());
    expect(number(opensslOk(['crl', '-in', crlFile, '-text', '-noout']))).toBe(number(crlText) + 1);
    expect(ca.revocation(serial)?.reason).toBe('keyCompromise');
  });

  it('refuses to revoke a certificate it did not issue, or with an unknown reason', async () => {
    const key = join(work, 'foreign.key');
    const foreign = join(work, 'foreign.pem');
    opensslOk(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', foreign, '-subj', '/CN=foreign.example.com', '-days', '1']);
    await expect(ca.revoke(readFileSync(foreign, 'utf8'), 'unspecified')).rejects.toThrow(/was not issued by this built-in CA/);
    await expect(ca.revoke(readFileSync(foreign, 'utf8'), 'becauseISaidSo')).rejects.toThrow(/reason "becauseISaidSo" is not a revocation reason; use one of unspecified/);
  });

  it('makes the root\'s CRL with the CA: signed by the root, listing nothing, valid until the intermediate expires', () => {
    const crlFile = join(work, 'root-crl.der');
    writeFileSync(crlFile, readFileSync(join(caDir, 'root.crl')));
    expect(Buffer.from(ca.rootCrlDer()!).equals(readFileSync(crlFile))).toBe(true);
    const text = opensslOk(['crl', '-inform', 'DER', '-in', crlFile, '-noout', '-text', '-CAfile', rootFile]);
    expect(text).toMatch(/verify OK/);
    expect(text).toMatch(/No Revoked Certificates/);
    expect(text).toMatch(/X509v3 CRL Number:\s+1\b/);
    expect(text).toMatch(/X509v3 Authority Key Identifier/);
    expect(/Next Update: (.+)/.exec(text)?.[1]?.trim()).toBe(opensslOk(['x509', '-in', intermediateFile, '-noout', '-enddate']).trim().split('=')[1]);
  });

  it('a CA made before the root had a CRL gets one at its next start, and goes on without one when the root\'s key cannot be opened', async () => {
    const dir = join(work, 'before-root-crl', 'builtin-ca');
    const keys = memoryKeys();
    const made = await openBuiltinCa({ dir, sealer, sealedKeys: keys });
    const rootPemFile = join(work, 'before-root-crl', 'root.pem');
    writeFileSync(rootPemFile, made.rootPem());
    rmSync(join(dir, 'root.crl'));

    // The root's key unreadable: the CA still opens and issues; it just has no root CRL to serve.
    const damaged = memoryKeys();
    damaged.write(SEALED_KEY_IDS.intermediate, sealer.dekHash, keys.read(SEALED_KEY_IDS.intermediate)!);
    damaged.write(SEALED_KEY_IDS.root, sealer.dekHash, Buffer.from('not a sealed key'));
    const without = await openBuiltinCa({ dir, sealer, sealedKeys: damaged });
    expect(without.rootCrlDer()).toBeUndefined();
    expect(readdirSync(dir)).not.toContain('root.crl');

    const reopened = await openBuiltinCa({ dir, sealer, sealedKeys: keys });
    const crlFile = join(work, 'before-root-crl', 'root-crl.der');
    writeFileSync(crlFile, reopened.rootCrlDer()!);
    expect(readFileSync(join(dir, 'root.crl')).equals(readFileSync(crlFile))).toBe(true);
    const text = opensslOk(['crl', '-inform', 'DER', '-in', crlFile, '-noout', '-text', '-CAfile', rootPemFile]);
    expect(text).toMatch(/verify OK/);
    expect(text).toMatch(/No Revoked Certificates/);
  });

  it('an intermediate that names nothing, or the PKI listener\'s old URL, is issued again once to name where the root is served: same name, key, validity and constraints; what it issued before still verifies', async () => {
    const base = join(work, 'reissue');
    const dir = join(base, 'builtin-ca');
    const keys = memoryKeys();
    const nameConstraints = { dns: ['example.com'], ip: [] };
    const old = await openBuiltinCa({ dir, sealer, sealedKeys: keys, nameConstraints });
    const csr = makeCsr(['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'], 'before.example.com', 'DNS:before.example.com');
    const issued = await old.issue({ requestId: randomUUID(), csrPem: csr, validitySeconds: durationSeconds('P7D'), extendedKeyUsages: ['SERVER_AUTH'], template, checked: csrNames(csr) });
    if (issued.status !== 'ISSUED') throw new Error('expected ISSUED');
    const [oldFile, newFile, rootPemFile, leafFile] = ['old.pem', 'new.pem', 'root.pem', 'leaf.pem'].map((f) => join(base, f)) as [string, string, string, string];
    writeFileSync(oldFile, old.chainPems()[0]!);
    writeFileSync(rootPemFile, old.rootPem());
    writeFileSync(leafFile, issued.certificatePem);
    expect(opensslOk(['x509', '-in', oldFile, '-noout', '-text'])).not.toMatch(/CRL Distribution Points/);

    const rootPointers = { crlUrl: 'http://pki.example.test:7480/pki/root.crl', caIssuersUrl: 'http://pki.example.test:7480/pki/root.cer' };
    const again = await openBuiltinCa({ dir, sealer, sealedKeys: keys, nameConstraints, rootPointers });
    writeFileSync(newFile, again.chainPems()[0]!);
    const fields = (file: string) => ['-subject', '-startdate', '-enddate', '-pubkey'].map((f) => opensslOk(['x509', '-in', file, '-noout', f]));
    expect(fields(newFile)).toEqual(fields(oldFile));
    expect(opensslOk(['x509', '-in', newFile, '-noout', '-serial'])).not.toBe(opensslOk(['x509', '-in', oldFile, '-noout', '-serial']));
    const text = opensslOk(['x509', '-in', newFile, '-noout', '-text']);
    expect(text).toMatch(/X509v3 CRL Distribution Points:\s+Full Name:\s+URI:http:\/\/pki\.example\.test:7480\/pki\/root\.crl/);
    expect(text).toMatch(/CA Issuers - URI:http:\/\/pki\.example\.test:7480\/pki\/root\.cer/);
    expect(text).not.toMatch(/OCSP - URI/);
    expect(text).toMatch(/X509v3 Name Constraints: critical\s+Permitted:\s+DNS:example\.com/);
    expect(text).toMatch(/X509v3 Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
    expect(opensslOk(['verify', '-CAfile', rootPemFile, '-untrusted', newFile, leafFile])).toMatch(/: OK/);
    expect(readFileSync(join(dir, 'intermediate.pem'), 'utf8')).toBe(again.chainPems()[0]);

    // Once: a later start under the same base URL keeps it.
    const third = await openBuiltinCa({ dir, sealer, sealedKeys: keys, nameConstraints, rootPointers });
    expect(third.chainPems()[0]).toBe(again.chainPems()[0]);

    // A start under another base URL (the PKI listener moved): issued again to name the new one, once.
    const moved = { crlUrl: 'http://pki.other.test/pki/root.crl', caIssuersUrl: 'http://pki.other.test/pki/root.cer' };
    const fourth = await openBuiltinCa({ dir, sealer, sealedKeys: keys, nameConstraints, rootPointers: moved });
    const movedFile = join(base, 'moved.pem');
    writeFileSync(movedFile, fourth.chainPems()[0]!);
    expect(fields(movedFile)).toEqual(fields(oldFile));
    const movedText = opensslOk(['x509', '-in', movedFile, '-noout', '-text']);
    expect(movedText).toMatch(/X509v3 CRL Distribution Points:\s+Full Name:\s+URI:http:\/\/pki\.other\.test\/pki\/root\.crl/);
    expect(movedText).toMatch(/CA Issuers - URI:http:\/\/pki\.other\.test\/pki\/root\.cer/);
    expect(movedText).not.toMatch(/pki\.example\.test/);
    expect(opensslOk(['verify', '-CAfile', rootPemFile, '-untrusted', movedFile, leafFile])).toMatch(/: OK/);
    const fifth = await openBuiltinCa({ dir, sealer, sealedKeys: keys, nameConstraints, rootPointers: moved });
    expect(fifth.chainPems()[0]).toBe(fourth.chainPems()[0]);
  });

  it('reopens the same CA, and refuses to open it under another DEK, naming both DEKs', async () => {
    const again = await openBuiltinCa({ dir: caDir, sealer, sealedKeys });
    expect(again.rootPem()).toBe(ca.rootPem());
    expect(await again.health()).toMatchObject({ healthy: true });
    const other = testSealer();
    await expect(openBuiltinCa({ dir: caDir, sealer: other, sealedKeys })).rejects.toThrow(new RegExp(`sealed under DEK ${sealer.dekHash} but the current DEK is ${other.dekHash}`));
  });

  it('first run is all or nothing: an interrupted run leaves no half CA, and a foreign directory is not overwritten', async () => {
    const parent = join(work, 'crash');
    mkdirSync(parent);
    // What a crash during first run leaves behind: a partial temp directory, no CA.
    const partial = join(parent, '.builtin-ca.partial-abc123');
    mkdirSync(partial);
    writeFileSync(join(partial, 'root.pem'), 'half');
    const fresh = await openBuiltinCa({ dir: join(parent, 'builtin-ca'), sealer, sealedKeys: memoryKeys() });
    expect(spawnSync('ls', ['-A', parent], { encoding: 'utf8' }).stdout.trim().split('\n')).toEqual(['builtin-ca']);
    expect(fresh.rootPem()).not.toBe(ca.rootPem());

    const foreign = join(work, 'not-a-ca');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'notes.txt'), 'mine');
    await expect(openBuiltinCa({ dir: foreign, sealer, sealedKeys: memoryKeys() })).rejects.toThrow(/exists but has no ca\.json/);
    expect(readFileSync(join(foreign, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('a first run interrupted after the keys were written makes a whole new CA over them', async () => {
    const dir = join(work, 'interrupted', 'builtin-ca');
    const keys = memoryKeys();
    keys.write(SEALED_KEY_IDS.intermediate, sealer.dekHash, sealer.seal(SEALED_KEY_IDS.intermediate, Buffer.from('orphan from a crash')));
    const made = await openBuiltinCa({ dir, sealer, sealedKeys: keys });
    expect(sealer.open(SEALED_KEY_IDS.intermediate, keys.read(SEALED_KEY_IDS.intermediate)!).toString()).not.toBe('orphan from a crash');
    const csr = makeCsr(['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'], 'again.example.com', 'DNS:again.example.com');
    const result = await made.issue({ requestId: randomUUID(), csrPem: csr, validitySeconds: durationSeconds('P7D'), extendedKeyUsages: ['SERVER_AUTH'], template, checked: csrNames(csr) });
    if (result.status !== 'ISSUED') throw new Error('expected ISSUED');
    const chain = join(work, 'interrupted', 'chain.pem');
    writeFileSync(chain, made.chainPems().join(''));
    writeFileSync(join(work, 'interrupted', 'ee.pem'), result.certificatePem);
    expect(opensslOk(['verify', '-CAfile', chain, join(work, 'interrupted', 'ee.pem')])).toMatch(/: OK/);
  });

  it('moves sealed key files of an older CA directory into the inventory, and refuses a key that is not the certificate\'s', async () => {
    const dir = join(work, 'legacy', 'builtin-ca');
    const keys = memoryKeys();
    const made = await openBuiltinCa({ dir, sealer, sealedKeys: keys });
    // What older versions left: the sealed keys as files in the CA directory.
    for (const [id, name] of [[SEALED_KEY_IDS.root, 'root.key.sealed'], [SEALED_KEY_IDS.intermediate, 'intermediate.key.sealed']] as const) {
      writeFileSync(join(dir, name), keys.read(id)!);
    }
    const migrated = memoryKeys();
    const reopened = await openBuiltinCa({ dir, sealer, sealedKeys: migrated });
    expect(reopened.rootPem()).toBe(made.rootPem());
    expect([...migrated.rows.keys()].sort()).toEqual([SEALED_KEY_IDS.intermediate, SEALED_KEY_IDS.root]);
    expect(migrated.rows.get(SEALED_KEY_IDS.intermediate)?.dekHash).toBe(sealer.dekHash);
    expect(readdirSync(dir).filter((name) => name.endsWith('.sealed'))).toEqual([]);

    // Another CA's issuing key under this CA's certificates is refused, never used to sign.
    migrated.write(SEALED_KEY_IDS.intermediate, sealer.dekHash, store.getSecret(SEALED_KEY_IDS.intermediate)!.blob);
    await expect(openBuiltinCa({ dir, sealer, sealedKeys: migrated })).rejects.toThrow(/issuing key \(secret "builtin-ca\/intermediate\.key"\) does not belong to/);
    await expect(openBuiltinCa({ dir, sealer, sealedKeys: memoryKeys() })).rejects.toThrow(/has no issuing key in the inventory/);
  });
});
