import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CsrAttributesInput } from '../../src/shared/csr-attributes';
import { generateKeyAndCsr, type KeyAndCsr } from '../../src/main/core/keys';
import { describeWithTools, TOOLS } from '../helpers/tools';

// Every key type's CSR, judged by openssl alone: the signature verifies, and the subject and
// SANs openssl prints are exactly the ones requested. Expected values are written out as
// openssl prints them; nothing here reads the CSR with the project's own parser.

const KEY_TYPES = [
  { label: 'RSA 2048', params: { keyType: 'RSA', keyLength: 2048 }, publicKeyLine: 'Public-Key: (2048 bit)', signature: 'sha256WithRSAEncryption' },
  { label: 'RSA 3072', params: { keyType: 'RSA', keyLength: 3072 }, publicKeyLine: 'Public-Key: (3072 bit)', signature: 'sha256WithRSAEncryption' },
  { label: 'RSA 4096', params: { keyType: 'RSA', keyLength: 4096 }, publicKeyLine: 'Public-Key: (4096 bit)', signature: 'sha256WithRSAEncryption' },
  { label: 'EC P-256', params: { keyType: 'EC', keyCurve: 'P256' }, publicKeyLine: 'NIST CURVE: P-256', signature: 'ecdsa-with-SHA256' },
  { label: 'EC P-384', params: { keyType: 'EC', keyCurve: 'P384' }, publicKeyLine: 'NIST CURVE: P-384', signature: 'ecdsa-with-SHA384' },
  { label: 'EC P-521', params: { keyType: 'EC', keyCurve: 'P521' }, publicKeyLine: 'NIST CURVE: P-521', signature: 'ecdsa-with-SHA512' },
  { label: 'Ed25519', params: { keyType: 'EC', keyCurve: 'ED25519' }, publicKeyLine: 'ED25519 Public-Key:', signature: 'ED25519' },
] as const;

/** The seed's csrAttributes, a second (non-ASCII) OU, and one SAN of every type, an IDN among them. */
const seedAttributes = (keyTypeParameters: CsrAttributesInput['keyTypeParameters']): CsrAttributesInput => ({
  commonName: 'ask.venafi.example',
  organization: 'Venafi, Inc.',
  organizationalUnits: ['Quality Assurance', 'Sécurité'],
  locality: 'Salt Lake City',
  state: 'Utah',
  country: 'US',
  subjectAlternativeNamesByType: {
    dnsNames: ['ask.venafi.example', 'bücher.venafi.example'],
    ipAddresses: ['192.0.2.10', '2001:db8::10'],
    rfc822Names: ['pki-admin@venafi.example'],
    uniformResourceIdentifiers: ['https://ask.venafi.example/ops?team=qa'],
  },
  keyTypeParameters,
});

const EXPECTED_SUBJECT: [string, string][] = [
  ['countryName', 'US'],
  ['stateOrProvinceName', 'Utah'],
  ['localityName', 'Salt Lake City'],
  ['organizationName', 'Venafi, Inc.'],
  ['organizationalUnitName', 'Quality Assurance'],
  ['organizationalUnitName', 'Sécurité'],
  ['commonName', 'ask.venafi.example'],
];
const EXPECTED_DEFAULT_SUBJECT_LINE =
  'Subject: C = US, ST = Utah, L = Salt Lake City, O = "Venafi, Inc.", OU = Quality Assurance, OU = S\\C3\\A9curit\\C3\\A9, CN = ask.venafi.example';
const EXPECTED_SANS = [
  'DNS:ask.venafi.example',
  'DNS:xn--bcher-kva.venafi.example',
  'IP Address:192.0.2.10',
  'IP Address:2001:DB8:0:0:0:0:0:10',
  'email:pki-admin@venafi.example',
  'URI:https://ask.venafi.example/ops?team=qa',
];

function openssl(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('openssl', args, { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The subject as `-nameopt multiline` prints it: one "name = value" line per attribute, in order. */
function subjectFromMultiline(text: string): [string, string][] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim() === 'Subject:');
  expect(start, 'openssl printed no Subject').toBeGreaterThanOrEqual(0);
  const out: [string, string][] = [];
  for (const line of lines.slice(start + 1)) {
    const m = /^\s+(\w+)\s+= (.*)$/.exec(line);
    if (!m) break;
    out.push([m[1]!, m[2]!]);
  }
  return out;
}

function sansFromText(text: string): string[] {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.includes('X509v3 Subject Alternative Name:'));
  expect(at, 'openssl printed no Subject Alternative Name').toBeGreaterThanOrEqual(0);
  return lines[at + 1]!.trim().split(', ');
}

describeWithTools([TOOLS.openssl])('CSRs of every key type, as openssl reads them', () => {
  let dir: string;
  const made = new Map<string, { result: KeyAndCsr; path: string }>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ks-csr-openssl-'));
    // One key per type for the whole suite (RSA 4096 takes seconds); they generate concurrently on the threadpool.
    const results = await Promise.all(KEY_TYPES.map((k) => generateKeyAndCsr(seedAttributes(k.params))));
    for (const [i, k] of KEY_TYPES.entries()) {
      const path = join(dir, `${i}.csr`);
      writeFileSync(path, results[i]!.csr.pem);
      made.set(k.label, { result: results[i]!, path });
    }
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.each(KEY_TYPES)('$label: openssl req -verify accepts the self-signature', ({ label }) => {
    const r = openssl(['req', '-in', made.get(label)!.path, '-verify', '-noout']);
    expect(r.stderr + r.stdout).toContain('verify OK');
    expect(r.status).toBe(0);
  });

  it.each(KEY_TYPES)('$label: the subject openssl prints is exactly the one requested, in order', ({ label }) => {
    const multiline = openssl(['req', '-in', made.get(label)!.path, '-noout', '-text', '-nameopt', 'multiline,utf8,-esc_msb']);
    expect(multiline.status).toBe(0);
    expect(subjectFromMultiline(multiline.stdout)).toEqual(EXPECTED_SUBJECT);

    const plain = openssl(['req', '-in', made.get(label)!.path, '-noout', '-text']);
    expect(plain.stdout.split('\n').map((l) => l.trim())).toContain(EXPECTED_DEFAULT_SUBJECT_LINE);
  });

  it.each(KEY_TYPES)('$label: the SANs openssl prints are exactly the ones requested (IDN as punycode)', ({ label }) => {
    const r = openssl(['req', '-in', made.get(label)!.path, '-noout', '-text']);
    expect(r.status).toBe(0);
    expect(sansFromText(r.stdout)).toEqual(EXPECTED_SANS);
  });

  it.each(KEY_TYPES)('$label: openssl sees the requested key and signature algorithm', ({ label, publicKeyLine, signature }) => {
    const text = openssl(['req', '-in', made.get(label)!.path, '-noout', '-text']).stdout;
    const lines = text.split('\n').map((l) => l.trim());
    expect(lines).toContain(publicKeyLine);
    expect(lines).toContain(`Signature Algorithm: ${signature}`);
  });

  it.each(KEY_TYPES)('$label: the public key in the CSR is the generated one', ({ label }) => {
    const { result, path } = made.get(label)!;
    const r = spawnSync('openssl', ['req', '-in', path, '-noout', '-pubkey'], { encoding: 'utf8' });
    const der = spawnSync('openssl', ['pkey', '-pubin', '-outform', 'DER'], { input: r.stdout });
    expect(der.status).toBe(0);
    expect(Buffer.from(der.stdout).equals(Buffer.from(result.keys.spki))).toBe(true);
  });

  it('country is a PrintableString and the other attributes UTF8String (asn1parse)', () => {
    const r = openssl(['asn1parse', '-in', made.get('EC P-256')!.path]);
    expect(r.status).toBe(0);
    const strings = r.stdout
      .split('\n')
      .map((l) => /prim: (PRINTABLESTRING|UTF8STRING|IA5STRING)\s*:(.*)$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1], m[2]]);
    expect(strings).toEqual([
      ['PRINTABLESTRING', 'US'],
      ['UTF8STRING', 'Utah'],
      ['UTF8STRING', 'Salt Lake City'],
      ['UTF8STRING', 'Venafi, Inc.'],
      ['UTF8STRING', 'Quality Assurance'],
      ['UTF8STRING', expect.stringMatching(/^S.*curit/)],
      ['UTF8STRING', 'ask.venafi.example'],
    ]);
  });

  it('the CN alone becomes the DNS SAN when no dnsNames are given', async () => {
    const { csr } = await generateKeyAndCsr({ commonName: 'ask.venafi.example', country: 'US', keyTypeParameters: { keyType: 'EC', keyCurve: 'P256' } });
    const path = join(dir, 'cn-only.csr');
    writeFileSync(path, csr.pem);
    const text = openssl(['req', '-in', path, '-noout', '-text']).stdout;
    expect(sansFromText(text)).toEqual(['DNS:ask.venafi.example']);
    expect(openssl(['req', '-in', path, '-verify', '-noout']).status).toBe(0);
  });

  it('subjectDN is in the cloud style of the seed', () => {
    const { result } = made.get('RSA 2048')!;
    expect(result.csr.subjectDN).toBe('cn=ask.venafi.example,ou=Quality Assurance,ou=Sécurité,o=Venafi, Inc.,c=US,st=Utah,l=Salt Lake City');
  });
});
