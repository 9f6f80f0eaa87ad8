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
