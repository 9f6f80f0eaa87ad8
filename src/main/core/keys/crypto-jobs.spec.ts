import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { csrAttributesSchema } from '../../../shared/csr-attributes';
import type { KeyTypeParameters } from '../../../shared/key-types';
import { createCaMaterial } from '../ca/builtin/create-ca';
import { certificateExtensions } from '../pki/certificate-extensions';
import { csrNames } from '../pki/csr-reader';
import { issuerOf } from '../pki/end-entity';
import { toPem } from '../pki/pem';
import { CRYPTO_JOBS } from './crypto-jobs';
import { csrPublicKeyInfo } from './parse';

// The built-in CA's one-hand-off job (key, CSR and certificate) skips only the CSR's signature
// check, on a CSR it has just signed itself: everything else must come out as the two jobs make it.

const ca = await createCaMaterial();
const issuer = issuerOf(ca.intermediatePem, createPrivateKey({ key: ca.intermediateKeyPkcs8, format: 'der', type: 'pkcs8' }));
const intermediate = new X509Certificate(ca.intermediatePem);

const attrsFor = (keyTypeParameters: KeyTypeParameters, dnsNames = ['www.example.com']) =>
  csrAttributesSchema.parse({ commonName: 'www.example.com', subjectAlternativeNamesByType: { dnsNames }, keyTypeParameters });
const orderFor = (attrs: ReturnType<typeof attrsFor>) => ({
  validitySeconds: 86_400,
  extendedKeyUsages: ['SERVER_AUTH' as const],
  checked: { subject: { commonName: attrs.commonName, organizationalUnits: attrs.organizationalUnits }, subjectAlternativeNamesByType: attrs.subjectAlternativeNamesByType },
  issuer,
});
const extensionsOf = (pem: string) => certificateExtensions(pem).filter((e) => !['subjectKeyIdentifier', 'authorityKeyIdentifier'].includes(e.name));

describe('keyCsrAndCertificate', () => {
  it.each([
    ['EC P-256', { keyType: 'EC', keyCurve: 'P256' }],
    ['Ed25519', { keyType: 'EC', keyCurve: 'ED25519' }],
    ['RSA-2048', { keyType: 'RSA', keyLength: 2048 }],
  ] as const)('%s: a certificate for the key it made, signed by the issuer, with the extensions the two jobs give', async (_, params) => {
    const attrs = attrsFor(params as KeyTypeParameters);
    const made = await CRYPTO_JOBS.keyCsrAndCertificate({ attrs, certificate: orderFor(attrs) });
    expect(made.refused).toBeUndefined();
    const pem = toPem(made.certificate!.der, 'CERTIFICATE');
    const certificate = new X509Certificate(pem);
    expect(certificate.verify(intermediate.publicKey)).toBe(true);
    const keySpki = createPublicKey(createPrivateKey({ key: Buffer.from(made.pkcs8), format: 'der', type: 'pkcs8' })).export({ type: 'spki', format: 'der' });
    expect(Buffer.from(certificate.publicKey.export({ type: 'spki', format: 'der' }))).toEqual(keySpki);
    expect(Buffer.from(csrPublicKeyInfo(made.csrPem))).toEqual(keySpki);

    const separately = await CRYPTO_JOBS.issueEndEntity({ ...orderFor(attrs), csrPem: made.csrPem });
    expect(extensionsOf(pem)).toEqual(extensionsOf(toPem(separately.der, 'CERTIFICATE')));
  });

  it('a name the policy did not check: no certificate, but the key and CSR come back with the reason, for a retry with the same key', async () => {
    const attrs = attrsFor({ keyType: 'EC', keyCurve: 'P256' }, ['www.example.com', 'admin.example.com']);
    const order = orderFor(attrs);
    const made = await CRYPTO_JOBS.keyCsrAndCertificate({ attrs, certificate: { ...order, checked: { ...order.checked, subjectAlternativeNamesByType: { ...order.checked.subjectAlternativeNamesByType, dnsNames: ['www.example.com'] } } } });
    expect(made.certificate).toBeUndefined();
    expect(made.refused).toEqual({ message: expect.stringContaining('the DNS name "admin.example.com" was not among the values checked'), retryable: false });
    expect(made.pkcs8.some((b) => b !== 0)).toBe(true);
    expect(csrNames(made.csrPem).subjectAlternativeNamesByType.dnsNames).toEqual(['www.example.com', 'admin.example.com']);
  });
});
