import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createPrivateKey, generateKeyPairSync, X509Certificate, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CsrAttributes } from '../../../shared/csr-attributes';
import { createCaMaterial } from '../ca/builtin/create-ca';
import { createCsr } from '../keys/csr';
import { generateNodeKeyPairFor } from '../keys/node-key-pair';
import { certificateFacts, certificateFactsFromNode } from './certificate-facts';
import { csrNames } from './csr-reader';
import { curveFromOpensslName } from './curves';
import { readWhole, TAG } from './der';
import { issueEndEntity, issuerOf } from './end-entity';
import { fromPem, toPem } from './pem';
import { certificateBasics, certificateParts, publicKeyFacts } from './x509-der';

// certificateFacts reads names and SANs by walking the DER, and leaves what it does not know to
// @peculiar/x509. Either way the facts must be what @peculiar/x509 reads: each case here is
// checked against that library's own reading of the same certificate.

x509.cryptoProvider.set(globalThis.crypto);
const keys = (await globalThis.crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;

async function certificate(subject: string, sans: x509.JsonGeneralNames | undefined): Promise<string> {
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '0a1b2c3d4e5f',
    name: subject,
    notBefore: new Date('2025-01-01T00:00:00Z'),
    notAfter: new Date('2051-01-01T00:00:00Z'),
    keys,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    extensions: sans ? [new x509.SubjectAlternativeNameExtension(sans)] : [],
  });
  return cert.toString('pem');
}

/** The names as @peculiar/x509 reads them, in the cloud's style. */
function expectedNames(pem: string) {
  const cert = new x509.X509Certificate(pem);
  const dn = (name: x509.Name) =>
    name
      .toJSON()
      .flatMap((rdn) => Object.entries(rdn).flatMap(([type, values]) => values.map((v) => `${type.toLowerCase()}=${v}`)))
      .reverse()
      .join(',');
  const sans = cert.getExtension(x509.SubjectAlternativeNameExtension)?.names.items ?? [];
  const of = (type: string) => sans.filter((n) => n.type === type).map((n) => n.value);
  return {
    subjectCN: cert.subjectName.getField('CN'),
    subjectDN: dn(cert.subjectName),
    issuerDN: dn(cert.issuerName),
    dNSName: of('dns'),
    iPAddress: of('ip'),
    rfc822Name: of('email'),
    uniformResourceIdentifier: of('url'),
    otherName: sans.filter((n) => !['dns', 'ip', 'email', 'url', 'dn', 'id'].includes(n.type)).map((n) => n.value),
  };
}

const CASES: [string, string, x509.JsonGeneralNames | undefined][] = [
  ['the pipeline\'s subject and one DNS name', 'C=US, ST=Utah, L=Salt Lake City, O=Venafi\\, Inc., OU=Quality Assurance, OU=Sécurité, CN=ask.venafi.example', [{ type: 'dns', value: 'ask.venafi.example' }]],
  ['every SAN kind the pipeline writes, IPv6 compressed', 'CN=all.example', [
    { type: 'dns', value: 'all.example' },
    { type: 'ip', value: '192.0.2.10' },
    { type: 'ip', value: '2001:db8::10' },
    { type: 'ip', value: '2001:db8:0:1:0:0:0:1' },
    { type: 'ip', value: '::1' },
    { type: 'email', value: 'pki@all.example' },
    { type: 'url', value: 'https://all.example/x?y=1' },
  ]],
  ['a multi-valued RDN, two CNs, an email attribute and an unnamed OID', 'CN=a.example+O=Acme, CN=b.example, E=admin@a.example, 2.5.4.5=SN123', [{ type: 'dns', value: 'a.example' }]],
  ['no SAN extension', 'CN=nosan.example', undefined],
  ['an empty subject with a SAN', '', [{ type: 'dns', value: 'empty.example' }]],
  ['an otherName SAN (left to @peculiar/x509)', 'CN=upn.example', [{ type: 'upn', value: 'user@upn.example' }, { type: 'dns', value: 'upn.example' }]],
];

describe('certificateFacts', () => {
  it.each(CASES)('reads %s as @peculiar/x509 does', async (_label, subject, sans) => {
    const pem = await certificate(subject, sans);
    const facts = certificateFacts(pem);
    const expected = expectedNames(pem);
    expect(facts.subjectCN).toEqual(expected.subjectCN);
    expect(facts.subjectDN).toBe(expected.subjectDN);
    expect(facts.issuerDN).toBe(expected.issuerDN);
    const { dNSName, iPAddress, rfc822Name, uniformResourceIdentifier, otherName } = facts.subjectAlternativeNamesByType!;
    expect({ dNSName, iPAddress, rfc822Name, uniformResourceIdentifier, otherName }).toEqual({
      dNSName: expected.dNSName,
      iPAddress: expected.iPAddress,
      rfc822Name: expected.rfc822Name,
      uniformResourceIdentifier: expected.uniformResourceIdentifier,
      otherName: expected.otherName,
    });
    expect(facts.serialNumber).toBe('0A1B2C3D4E5F');
    expect(facts.validityEnd).toBe('2051-01-01T00:00:00.000Z');
    expect(facts.keyCurve).toBe('P256');
    // The key as read from the DER (or exported by Node after the fallback): the certificate's own public key.
    expect(facts.spki.equals(new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' }))).toBe(true);
  });

  it('reads an RSA key\'s size from the certificate', async () => {
    const rsa = (await globalThis.crypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
    const cert = await x509.X509CertificateGenerator.createSelfSigned({ serialNumber: '01', name: 'CN=rsa.example', keys: rsa, signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5' } });
    const facts = certificateFacts(cert.toString('pem'));
    expect({ keyType: facts.keyType, keyStrength: facts.keyStrength, keyCurve: facts.keyCurve }).toEqual({ keyType: 'RSA', keyStrength: 2048, keyCurve: undefined });
  });

  it('says what is wrong with text that is not a certificate', () => {
    expect(() => certificateFacts('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')).toThrow(/^not a valid X.509 certificate in PEM/);
  });
});

describe('publicKeyFacts', () => {
  /** What Node's KeyObject reports, in the inventory's terms: the reading the DER reader replaces. */
  const nodeFacts = (key: KeyObject) => {
    const details = key.asymmetricKeyDetails ?? {};
    const rsa = key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss';
    if (rsa) return { keyType: 'RSA', keyStrength: details.modulusLength };
    return { keyType: 'EC', keyCurve: key.asymmetricKeyType === 'ed25519' ? 'ED25519' : curveFromOpensslName(details.namedCurve) };
  };
  const read = (key: KeyObject) => {
    const spki = key.export({ type: 'spki', format: 'der' });
    return publicKeyFacts(spki, readWhole(spki, TAG.sequence, 'spki'));
  };
  const KEYS: [string, () => KeyObject][] = [
    ['RSA 2048', () => generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey],
    ['RSA 3072', () => generateKeyPairSync('rsa', { modulusLength: 3072 }).publicKey],
    ['RSA of 2047 bits (odd size)', () => generateKeyPairSync('rsa', { modulusLength: 2047 }).publicKey],
    ['RSASSA-PSS 2048', () => generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).publicKey],
    ['EC P-256', () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey],
    ['EC P-384', () => generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey],
    ['EC P-521', () => generateKeyPairSync('ec', { namedCurve: 'P-521' }).publicKey],
    ['Ed25519', () => generateKeyPairSync('ed25519').publicKey],
  ];

  it.each(KEYS)('reads %s as Node does', (_label, make) => {
    const key = make();
    expect(read(key)).toEqual(nodeFacts(key));
  });

  it.each([
    ['secp256k1', () => generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey],
    ['Ed448', () => generateKeyPairSync('ed448').publicKey],
  ] as const)('leaves %s to Node (DerError)', (_label, make) => {
    expect(() => read(make())).toThrow(/left to Node/);
  });
});

describe('certificateFacts from the DER alone', () => {
  // What the pipeline stores every time: the built-in CA's certificates. The DER readers must give
  // exactly what Node's X509Certificate gives, and must be the ones that read them.
  const attrs = (keyTypeParameters: CsrAttributes['keyTypeParameters']): CsrAttributes => ({
    commonName: 'facts.example',
    organization: 'Acme',
    organizationalUnits: ['Ops'],
    locality: undefined,
    state: undefined,
    country: 'US',
    subjectAlternativeNamesByType: { dnsNames: ['facts.example'], ipAddresses: ['192.0.2.7'], rfc822Names: [], uniformResourceIdentifiers: [] },
    keyTypeParameters,
  });
  const issued = async (ca: Awaited<ReturnType<typeof createCaMaterial>>, params: CsrAttributes['keyTypeParameters']) => {
    const issuer = issuerOf(ca.intermediatePem, createPrivateKey({ key: ca.intermediateKeyPkcs8, format: 'der', type: 'pkcs8' }));
    const csr = await createCsr(attrs(params), await generateNodeKeyPairFor(params));
    const cert = await issueEndEntity({ csrPem: csr.pem, validitySeconds: 90 * 86_400, extendedKeyUsages: ['SERVER_AUTH'], checked: csrNames(csr.pem), issuer });
    return toPem(cert.der, 'CERTIFICATE');
  };

  it('reads the built-in CA\'s end-entity certificates as Node does, for every key type', async () => {
    const ca = await createCaMaterial();
    for (const params of [
      { keyType: 'EC', keyCurve: 'P256' },
      { keyType: 'EC', keyCurve: 'P384' },
      { keyType: 'EC', keyCurve: 'P521' },
      { keyType: 'EC', keyCurve: 'ED25519' },
      { keyType: 'RSA', keyLength: 2048 },
    ] as const) {
      const pem = await issued(ca, params);
      expect(() => certificateBasics(certificateParts(fromPem(pem, ['CERTIFICATE'])))).not.toThrow();
      expect(certificateFacts(pem)).toEqual(certificateFactsFromNode(pem));
    }
  });

  it('leaves CA certificates to Node, and still reads them as Node does', async () => {
    const ca = await createCaMaterial();
    for (const pem of [ca.rootPem, ca.intermediatePem]) {
      expect(() => certificateBasics(certificateParts(fromPem(pem, ['CERTIFICATE'])))).toThrow(/CA certificate is left to Node/);
      expect(certificateFacts(pem).isCA).toBe(true);
      expect(certificateFacts(pem)).toEqual(certificateFactsFromNode(pem));
    }
  });

  it.each([
    ['a serial whose first octet has its high bit set', '8f00000000000001'],
    ['a one-octet serial', '05'],
  ])('reads %s as Node does', async (_label, serialNumber) => {
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber,
      name: 'CN=serial.example',
      notBefore: new Date('2049-12-31T23:59:59Z'),
      notAfter: new Date('2050-01-01T00:00:00Z'),
      keys,
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
      extensions: [new x509.BasicConstraintsExtension(false), new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'serial.example' }])],
    });
    const pem = cert.toString('pem');
    const facts = certificateFacts(pem);
    expect(facts).toEqual(certificateFactsFromNode(pem));
    // UTCTime on one side of 2050, GeneralizedTime on the other (RFC 5280 4.1.2.5).
    expect([facts.validityStart, facts.validityEnd]).toEqual(['2049-12-31T23:59:59.000Z', '2050-01-01T00:00:00.000Z']);
  });
});
