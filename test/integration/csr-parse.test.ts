import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createCsr,
  CsrParseError,
  fromPem,
  generateKeyAndCsr,
  importPrivateKey,
  keyPairFromPkcs8,
  parseCsr,
  publicKeysEqual,
  spkiFromPkcs8,
  toPem,
  UnsupportedKeyError,
} from '../../src/main/core/keys';
import { describeWithTools, TOOLS } from '../helpers/tools';

// CSR upload: CSRs that openssl made, read by parseCsr; and the key helpers checked against
// what openssl says about the same keys.

const SUBJECT = '/C=US/ST=Utah/L=Salt Lake City/O=Venafi, Inc./OU=Quality Assurance/OU=Ops/CN=upload.venafi.example';
const SAN = 'subjectAltName=DNS:upload.venafi.example,DNS:*.upload.venafi.example,IP:192.0.2.20,IP:2001:db8::20,email:pki@venafi.example,URI:https://venafi.example/upload';

const OPENSSL_KEYS = [
  { label: 'RSA 2048', newkey: ['-newkey', 'rsa:2048'], params: { keyType: 'RSA', keyLength: 2048 } },
  { label: 'EC P-256', newkey: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'], params: { keyType: 'EC', keyCurve: 'P256' } },
  { label: 'EC P-384', newkey: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384'], params: { keyType: 'EC', keyCurve: 'P384' } },
  { label: 'EC P-521', newkey: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-521'], params: { keyType: 'EC', keyCurve: 'P521' } },
  { label: 'Ed25519', newkey: ['-newkey', 'ed25519'], params: { keyType: 'EC', keyCurve: 'ED25519' } },
] as const;

describeWithTools([TOOLS.openssl])('parseCsr and key helpers against openssl', () => {
  let dir: string;
  const made = new Map<string, { pem: string; pkcs8: Uint8Array; spki: Uint8Array }>();

  /** An openssl-made CSR and its key (PKCS#8 DER) and public key (SPKI DER), as openssl writes them. */
  function opensslCsr(name: string, newkey: readonly string[], withSan = true): { pem: string; pkcs8: Uint8Array; spki: Uint8Array } {
    const keyPath = join(dir, `${name}.key`);
    const csrPath = join(dir, `${name}.csr`);
    execFileSync('openssl', ['req', '-new', ...newkey, '-nodes', '-keyout', keyPath, '-out', csrPath, '-subj', SUBJECT, ...(withSan ? ['-addext', SAN] : [])], { stdio: 'pipe' });
    const pkcs8 = execFileSync('openssl', ['pkcs8', '-topk8', '-nocrypt', '-in', keyPath, '-outform', 'DER']);
    const spki = execFileSync('openssl', ['pkey', '-in', keyPath, '-pubout', '-outform', 'DER']);
    return { pem: readFileSync(csrPath, 'utf8'), pkcs8: new Uint8Array(pkcs8), spki: new Uint8Array(spki) };
  }

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ks-csr-parse-'));
    for (const k of OPENSSL_KEYS) made.set(k.label, opensslCsr(k.label.replace(/\W/g, ''), k.newkey));
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.each(OPENSSL_KEYS)('$label: reads subject, SANs, key type and a valid signature', async ({ label, params }) => {
    const { pem, spki } = made.get(label)!;
    const parsed = await parseCsr(pem);
    expect(parsed.subject).toEqual({
      commonName: 'upload.venafi.example',
      organization: 'Venafi, Inc.',
      organizationalUnits: ['Quality Assurance', 'Ops'],
      locality: 'Salt Lake City',
      state: 'Utah',
      country: 'US',
    });
    expect(parsed.subjectDN).toBe('cn=upload.venafi.example,ou=Quality Assurance,ou=Ops,o=Venafi, Inc.,c=US,st=Utah,l=Salt Lake City');
    expect(parsed.subjectAlternativeNamesByType).toEqual({
      dnsNames: ['upload.venafi.example', '*.upload.venafi.example'],
      ipAddresses: ['192.0.2.20', '2001:db8::20'],
      rfc822Names: ['pki@venafi.example'],
      uniformResourceIdentifiers: ['https://venafi.example/upload'],
    });
    expect(parsed.keyTypeParameters).toEqual(params);
    expect(parsed.signatureValid).toBe(true);
    expect(Buffer.from(parsed.spki).equals(Buffer.from(spki))).toBe(true);
  });

  it.each(OPENSSL_KEYS)('$label: a CSR with a changed signature byte is not valid', async ({ label }) => {
    const der = fromPem(made.get(label)!.pem, ['CERTIFICATE REQUEST']);
    der[der.length - 2] = der.at(-2)! ^ 0x01;
    const parsed = await parseCsr(toPem(der, 'CERTIFICATE REQUEST'));
    expect(parsed.signatureValid).toBe(false);
  });

  it.each(OPENSSL_KEYS)('$label: spkiFromPkcs8 and publicKeysEqual match the key openssl made to its CSR', async ({ label }) => {
    const { pem, pkcs8, spki } = made.get(label)!;
    expect(Buffer.from(spkiFromPkcs8(pkcs8)).equals(Buffer.from(spki))).toBe(true);
    expect(publicKeysEqual((await parseCsr(pem)).spki, spkiFromPkcs8(pkcs8))).toBe(true);
    const other = made.get(label === 'RSA 2048' ? 'EC P-256' : 'RSA 2048')!;
    expect(publicKeysEqual(spki, other.spki)).toBe(false);
  });

  it.each(OPENSSL_KEYS)('$label: a key openssl made signs a CSR here that openssl verifies (renewal with the same key)', async ({ label, params }) => {
    const { pkcs8, spki } = made.get(label)!;
    const keys = await keyPairFromPkcs8(pkcs8);
    expect(keys.params).toEqual(params);
    const { attributes } = await generateKeyAndCsr({ commonName: 'renew.venafi.example', keyTypeParameters: params });
    const csr = await createCsr(attributes, { ...keys, privateKey: await importPrivateKey(pkcs8, params) });
    const path = join(dir, `renew-${label.replace(/\W/g, '')}.csr`);
    writeFileSync(path, csr.pem);
    const verify = spawnSync('openssl', ['req', '-in', path, '-verify', '-noout'], { encoding: 'utf8' });
    expect(verify.stderr + verify.stdout).toContain('verify OK');
    const pub = spawnSync('openssl', ['req', '-in', path, '-noout', '-pubkey'], { encoding: 'utf8' }).stdout;
    expect(Buffer.from(spki).equals(Buffer.from(fromPem(pub, ['PUBLIC KEY'])))).toBe(true);
  });

  it('a CSR without SANs has empty SAN lists', async () => {
    const { pem } = opensslCsr('nosan', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'], false);
    const parsed = await parseCsr(pem);
    expect(parsed.subjectAlternativeNamesByType).toEqual({ dnsNames: [], ipAddresses: [], rfc822Names: [], uniformResourceIdentifiers: [] });
    expect(parsed.signatureValid).toBe(true);
  });

  it('an RSA 1024 CSR is refused with UnsupportedKeyError naming the size and the choices', async () => {
    const { pem } = opensslCsr('rsa1024', ['-newkey', 'rsa:1024']);
    await expect(parseCsr(pem)).rejects.toThrow(UnsupportedKeyError);
    await expect(parseCsr(pem)).rejects.toThrow(/RSA 1024-bit key is not supported: use RSA 2048, 3072 or 4096/);
  });

  it('a secp256k1 CSR is refused with UnsupportedKeyError naming the curve', async () => {
    const { pem } = opensslCsr('k1', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:secp256k1']);
    await expect(parseCsr(pem)).rejects.toThrow(/curve secp256k1 is not supported/);
  });

  it('text that is not a CSR is refused with CsrParseError', async () => {
    await expect(parseCsr('hello')).rejects.toThrow(CsrParseError);
    await expect(parseCsr('-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n')).rejects.toThrow(CsrParseError);
  });

  it('parseCsr reads back what createCsr wrote (IDN as punycode, canonical IPv6)', async () => {
    const { csr, attributes } = await generateKeyAndCsr({
      commonName: 'ask.venafi.example',
      organization: 'Venafi, Inc.',
      organizationalUnits: ['Quality Assurance'],
      country: 'US',
      subjectAlternativeNamesByType: { dnsNames: ['bücher.venafi.example'], ipAddresses: ['2001:DB8:0::1'], rfc822Names: ['a@venafi.example'], uniformResourceIdentifiers: ['urn:x:y'] },
      keyTypeParameters: { keyType: 'EC', keyCurve: 'ED25519' },
    });
    const parsed = await parseCsr(csr.pem);
    expect(parsed.subjectAlternativeNamesByType).toEqual(attributes.subjectAlternativeNamesByType);
    expect(parsed.subjectAlternativeNamesByType.dnsNames).toEqual(['xn--bcher-kva.venafi.example']);
    expect(parsed.subjectAlternativeNamesByType.ipAddresses).toEqual(['2001:db8::1']);
    expect(parsed.subjectDN).toBe(csr.subjectDN);
    expect(parsed.signatureValid).toBe(true);
  });
});
