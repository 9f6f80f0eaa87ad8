import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { opensslExtensions } from '../../../../test/helpers/openssl-text';
import { certificateExtensions, signatureAlgorithmName } from './certificate-extensions';

// What the certificate page shows must be what openssl shows for the same file.

const dir = mkdtempSync(join(tmpdir(), 'ks-ext-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const openssl = (args: string[]) => execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('certificateExtensions', () => {
  it('names, criticality and values match openssl x509 -text for a certificate with every common extension', () => {
    const key = join(dir, 'k.pem');
    const cert = join(dir, 'c.pem');
    openssl([
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-days', '30', '-subj', '/CN=ext.example',
      '-addext', 'subjectAltName=DNS:ext.example,DNS:*.ext.example,IP:10.0.0.1,email:ops@ext.example,URI:https://ext.example/x',
      '-addext', 'keyUsage=critical,digitalSignature,keyEncipherment',
      '-addext', 'extendedKeyUsage=serverAuth,clientAuth',
      '-addext', 'crlDistributionPoints=URI:http://crl.ext.example/ca.crl',
      '-addext', 'authorityInfoAccess=OCSP;URI:http://ocsp.ext.example,caIssuers;URI:http://ca.ext.example/ca.crt',
      '-addext', 'certificatePolicies=2.23.140.1.2.1',
    ]);
    const pem = readFileSync(cert, 'utf8');
    const ours = certificateExtensions(pem);
    const theirs = opensslExtensions(cert);
    expect(ours.map((e) => [e.name, e.critical])).toEqual(theirs.map((e) => [e.name, e.critical]));
    const byName = (list: { name: string; values: string[] }[], name: string) => list.find((e) => e.name === name)!.values.join(' ');
    for (const name of ['X509v3 Subject Alternative Name', 'X509v3 Key Usage', 'X509v3 Extended Key Usage', 'X509v3 Basic Constraints', 'X509v3 Subject Key Identifier', 'X509v3 CRL Distribution Points', 'Authority Information Access', 'X509v3 Certificate Policies']) {
      expect(byName(ours, name).replace(/\s+/g, ' '), name).toBe(byName(theirs, name).replace(/\s+/g, ' '));
    }
    expect(signatureAlgorithmName(pem)).toBe(/Signature Algorithm: (\S+)/.exec(openssl(['x509', '-in', cert, '-noout', '-text']))![1]);
  });
});

describe('certificateText', () => {
  it('has the lines openssl x509 -text prints for names, validity, algorithms and key size', async () => {
    const { certificateText } = await import('./certificate-text');
    for (const [algorithm, options] of [['ec', ['-pkeyopt', 'ec_paramgen_curve:P-384']], ['rsa', ['-pkeyopt', 'rsa_keygen_bits:2048']]] as const) {
      const key = join(dir, `t-${algorithm}.key`);
      const cert = join(dir, `t-${algorithm}.pem`);
      openssl(['req', '-x509', '-newkey', algorithm, ...options, '-nodes', '-keyout', key, '-out', cert, '-days', '7', '-subj', '/C=AT/O=Example, Inc./CN=text.example', '-addext', 'subjectAltName=DNS:text.example']);
      const theirs = openssl(['x509', '-in', cert, '-noout', '-text']).split('\n').map((l) => l.trimEnd());
      const ours = certificateText(readFileSync(cert, 'utf8')).split('\n');
      const pick = (lines: string[], label: RegExp) => lines.filter((l) => label.test(l)).map((l) => l.trim());
      for (const label of [/^\s*Serial Number:/, /Signature Algorithm:/, /^\s*Issuer:/, /^\s*Subject:/, /Not Before:/, /Not After :/, /Public Key Algorithm:/, /Public-Key:/, /^ {12}X509v3 /]) {
        expect(pick(ours, label), String(label)).toEqual(pick(theirs, label));
      }
      const serialAt = theirs.findIndex((l) => /Serial Number:/.test(l));
      expect(ours[ours.findIndex((l) => /Serial Number:/.test(l)) + 1]!.trim()).toBe(theirs[serialAt + 1]!.trim());
    }
  });
});
