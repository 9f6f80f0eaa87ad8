import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { csrAttributesSchema } from '../../../shared/csr-attributes';
import { CaError } from '../ca/connector';
import { createCaMaterial } from '../ca/builtin/create-ca';
import { issueEndEntity, issuerOf } from '../pki/end-entity';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { toPem } from '../pki/pem';
import { openInventoryStore, type InventoryStore } from '../store';
import { fakeRequest } from '../store/fixtures';
import { makeKeyAndCsr } from './key-and-csr';
import { checkIssued, storeIssuedCertificate } from './store-issued';
import { createCsr } from '../keys/csr';
import { csrPublicKeyInfo } from '../keys/parse';
import { certificateFacts } from '../pki/certificate-facts';
import { csrNames } from '../pki/csr-reader';

// storeIssuedCertificate looks the chain up by fingerprint before reading its facts, and matches
// the certificate to the CSR by public key alone: both are the per-request fast path the bench
// measures, so they are checked here against certificates a real CA signed.

const ca = await createCaMaterial();
const issuer = issuerOf(ca.intermediatePem, createPrivateKey({ key: ca.intermediateKeyPkcs8, format: 'der', type: 'pkcs8' }));
const chainPems = [ca.intermediatePem, ca.rootPem];

async function csrFor(cn: string): Promise<string> {
  const attrs = csrAttributesSchema.parse({ commonName: cn, keyTypeParameters: { keyType: 'EC', keyCurve: 'P256' } });
  return (await makeKeyAndCsr(attrs)).csrPem;
}

async function issue(csrPem: string): Promise<string> {
  const cert = await issueEndEntity({ csrPem, validitySeconds: 86_400, extendedKeyUsages: ['SERVER_AUTH'], checked: csrNames(csrPem), issuer });
  return toPem(cert.der, 'CERTIFICATE');
}

function requestFor(store: InventoryStore, csrPem: string) {
  const request = fakeRequest({ status: 'REQUESTED', certificateSigningRequest: csrPem });
  store.insertRequest(request);
  return request;
}

const markIssued = (store: InventoryStore, id: string) => (patch: object) => store.updateRequest(id, patch, { status: 'ISSUED' });

describe('storeIssuedCertificate', () => {
  it('stores the chain once for every certificate it comes with, and links each certificate to it', async () => {
    const store = openInventoryStore(':memory:');
    const stored = [];
    for (const cn of ['a.example.com', 'b.example.com']) {
      const csrPem = await csrFor(cn);
      const request = requestFor(store, csrPem);
      stored.push(await storeIssuedCertificate(store, request, { certificatePem: await issue(csrPem), chainPems }, 'local', markIssued(store, request.id)));
    }
    expect(store.counts().certificates).toBe(4);
    expect(stored[1]!.chainCertificateIds).toEqual(stored[0]!.chainCertificateIds);
    const chainFingerprints = stored[0]!.chainCertificateIds.map((id) => store.getCertificate(id)!.fingerprint);
    expect(chainFingerprints).toEqual(chainPems.map((pem) => new X509Certificate(pem).fingerprint.replaceAll(':', '')));
    expect(store.getRequest(stored[0]!.certificateRequestId!)!.status).toBe('ISSUED');
    store.close();
  });

  it('refuses a certificate for another public key than the CSR, storing nothing', async () => {
    const store = openInventoryStore(':memory:');
    const request = requestFor(store, await csrFor('c.example.com'));
    const otherKeysCertificate = await issue(await csrFor('c.example.com'));
    const storing = storeIssuedCertificate(store, request, { certificatePem: otherKeysCertificate, chainPems }, 'local', markIssued(store, request.id));
    await expect(storing).rejects.toThrow(CaError);
    await expect(storing).rejects.toThrow(/different public key than the CSR/);
    expect(store.counts().certificates).toBe(0);
    expect(store.getRequest(request.id)!.status).toBe('REQUESTED');
    store.close();
  });

  it('matches a certificate whose CA encoded the same public key otherwise (a compressed EC point in the CSR)', async () => {
    const attrs = csrAttributesSchema.parse({ commonName: 'e.example.com', keyTypeParameters: { keyType: 'EC', keyCurve: 'P256' } });
    const made = await makeKeyAndCsr(attrs);
    const privateKey = createPrivateKey({ key: Buffer.from(made.pkcs8), format: 'der', type: 'pkcs8' });
    const { x, y } = createPublicKey(privateKey).export({ format: 'jwk' });
    const yBytes = Buffer.from(y!, 'base64url');
    const point = Buffer.concat([Buffer.from([yBytes[yBytes.length - 1]! & 1 ? 0x03 : 0x02]), Buffer.from(x!, 'base64url')]);
    // SubjectPublicKeyInfo { id-ecPublicKey, prime256v1 } with the 33-byte compressed point.
    const compressedSpki = Buffer.concat([Buffer.from('3039301306072a8648ce3d020106082a8648ce3d030107032200', 'hex'), point]);
    const compressedCsr = await createCsr(attrs, { params: attrs.keyTypeParameters, spki: compressedSpki, privateKey });
    const certificatePem = await issue(made.csrPem);
    expect(Buffer.from(csrPublicKeyInfo(compressedCsr.pem)).equals(certificateFacts(certificatePem).spki)).toBe(false);
    expect(checkIssued(compressedCsr.pem, { certificatePem, chainPems }).facts.subjectCN).toEqual(['e.example.com']);
  });

  it('explains a chain entry that is not a certificate', async () => {
    const store = openInventoryStore(':memory:');
    const csrPem = await csrFor('d.example.com');
    const request = requestFor(store, csrPem);
    const storing = storeIssuedCertificate(store, request, { certificatePem: await issue(csrPem), chainPems: ['not a certificate'] }, 'local', markIssued(store, request.id));
    await expect(storing).rejects.toThrow(/not a valid X.509 certificate in PEM/);
    expect(store.counts().certificates).toBe(0);
    store.close();
  });
});
