import { X509Certificate, createPrivateKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { csrAttributesSchema } from '../../../shared/csr-attributes';
import { createCaMaterial } from '../ca/builtin/create-ca';
import { issueEndEntity, issuerOf } from './end-entity';
import { createCsr } from '../keys/csr';
import { csrNames, readCsrDer, readCsrSpkiPem, CsrReadError } from './csr-reader';
import { DerError, decodeOid, oid, readTlv, readWhole, TAG, time, unsignedInteger } from './der';
import { generateNodeKeyPairFor } from '../keys/node-key-pair';
import { certificateParts, readGeneralNames, readName } from './x509-der';

describe('DER reader', () => {
  it.each([
    ['an indefinite length (BER)', [0x30, 0x80, 0x00, 0x00], /indefinite length/],
    ['a long-form length that fits the short form', [0x04, 0x81, 0x01, 0xaa], /non-minimal length/],
    ['a value running past the buffer', [0x04, 0x05, 0x01], /runs past/],
    ['a multi-byte tag', [0x1f, 0x81, 0x01, 0x00], /multi-byte tag/],
    ['a truncated header', [0x30], /truncated/],
  ])('refuses %s', (_label, bytes, message) => {
    expect(() => readTlv(Uint8Array.from(bytes), 0)).toThrow(message);
  });

  it('reads an OID seen before from its bytes, not from the buffer it was first read in', () => {
    const bytes = Uint8Array.from(oid('2.5.29.17').subarray(2));
    expect(decodeOid(bytes)).toBe('2.5.29.17');
    expect(decodeOid(bytes)).toBe('2.5.29.17');
    bytes[bytes.length - 1] = 19; // the same buffer, now 2.5.29.19
    expect(decodeOid(bytes)).toBe('2.5.29.19');
    const buffer = Buffer.from(oid('2.5.29.32').subarray(2)); // a Buffer: its slice() would be a view
    expect(decodeOid(buffer)).toBe('2.5.29.32');
    buffer[buffer.length - 1] = 35;
    expect(decodeOid(buffer)).toBe('2.5.29.35');
    expect(() => decodeOid(Uint8Array.from([0x55, 0x1d, 0x91]))).toThrow('OBJECT IDENTIFIER: empty or truncated');
    expect(() => decodeOid(Uint8Array.from([0x55, 0x80, 0x01]))).toThrow('non-minimal arc');
  });

  it('refuses bytes after the value', () => {
    expect(() => readWhole(Uint8Array.from([0x05, 0x00, 0x00]), TAG.null, 'x')).toThrow(DerError);
  });

  it('writes and reads OIDs, minimal INTEGERs and RFC 5280 times', () => {
    for (const dotted of ['2.5.29.17', '1.2.840.113549.1.9.14', '1.3.101.112', '0.9.2342.19200300.100.1.25']) {
      expect(decodeOid(oid(dotted).subarray(2))).toBe(dotted);
    }
    expect(decodeOid(oid('2.999.3').subarray(2))).toBe('2.999.3');
    expect(unsignedInteger(Uint8Array.from([0x00, 0x00, 0x7f]))).toEqual(Buffer.from([0x02, 0x01, 0x7f]));
    expect(unsignedInteger(Uint8Array.from([0x80]))).toEqual(Buffer.from([0x02, 0x02, 0x00, 0x80]));
    expect(time(new Date('2049-12-31T23:59:59.999Z')).toString('latin1', 2)).toBe('491231235959Z');
    expect(time(new Date('2050-01-01T00:00:00Z')).toString('latin1', 2)).toBe('20500101000000Z');
  });
});

describe('the pipeline\'s own CSR and certificate, read without the full parsers', () => {
  it('takes them apart: subject, SANs, public key', async () => {
    const attrs = csrAttributesSchema.parse({
      commonName: 'der.example',
      organizationalUnits: ['Sécurité'],
      country: 'US',
      subjectAlternativeNamesByType: { dnsNames: ['der.example'], ipAddresses: ['2001:db8::1'], rfc822Names: ['a@der.example'] },
      keyTypeParameters: { keyType: 'EC', keyCurve: 'P256' },
    });
    const keys = await generateNodeKeyPairFor(attrs.keyTypeParameters);
    const csr = await createCsr(attrs, keys);
    const parts = readCsrDer(csr.der);
    expect(Buffer.from(parts.spki).equals(Buffer.from(keys.spki))).toBe(true);
    expect(Buffer.from(readCsrSpkiPem(csr.pem)).equals(Buffer.from(keys.spki))).toBe(true);
    expect(() => readCsrSpkiPem(csr.pem.replace('MII', 'MIJ'))).toThrow(CsrReadError);
    expect(readGeneralNames(parts.subjectAltName!.value)).toEqual([
      { type: 'dns', value: 'der.example' },
      { type: 'ip', value: '2001:db8::1' },
      { type: 'email', value: 'a@der.example' },
    ]);

    const ca = await createCaMaterial();
    const issuer = issuerOf(ca.intermediatePem, createPrivateKey({ key: ca.intermediateKeyPkcs8, format: 'der', type: 'pkcs8' }));
    const issued = await issueEndEntity({ csrPem: csr.pem, validitySeconds: 3600, extendedKeyUsages: ['SERVER_AUTH'], checked: csrNames(csr.pem), issuer });
    const certificate = certificateParts(issued.der);
    expect(readName(certificate.bytes, certificate.subject)).toEqual([[{ type: 'C', value: 'US' }], [{ type: 'OU', value: 'Sécurité' }], [{ type: 'CN', value: 'der.example' }]]);
    expect(new X509Certificate(issued.der).verify(new X509Certificate(ca.intermediatePem).publicKey)).toBe(true);
    expect(certificate.extensions.map((e) => e.oid)).toEqual(['2.5.29.19', '2.5.29.15', '2.5.29.14', '2.5.29.35', '2.5.29.37', '2.5.29.17']);
  });
});
