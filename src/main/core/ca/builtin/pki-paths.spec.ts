import { describe, expect, it } from 'vitest';
import { issuingCaPaths, pkiFileAt, revocationPointers } from './pki-paths';

describe('the PKI listener\'s paths', () => {
  it('keeps the first issuing CA at the names it always had, and gives each later one its own', () => {
    expect(issuingCaPaths(1)).toEqual({ crl: '/pki/intermediate.crl', certificate: '/pki/intermediate.cer' });
    expect(issuingCaPaths(2)).toEqual({ crl: '/pki/intermediate-g2.crl', certificate: '/pki/intermediate-g2.cer' });
    expect(revocationPointers('http://pki.example.test:7480/', 3)).toEqual({
      crlUrl: 'http://pki.example.test:7480/pki/intermediate-g3.crl',
      caIssuersUrl: 'http://pki.example.test:7480/pki/intermediate-g3.cer',
      ocspUrl: 'http://pki.example.test:7480/pki/ocsp',
    });
  });

  it.each([
    ['/pki/intermediate.crl', { what: 'crl', generation: 1 }],
    ['/pki/intermediate.cer', { what: 'intermediate', generation: 1 }],
    ['/pki/intermediate-g2.crl', { what: 'crl', generation: 2 }],
    ['/pki/intermediate-g12.cer', { what: 'intermediate', generation: 12 }],
    ['/pki/root.crl', { what: 'root-crl' }],
    ['/pki/root.cer', { what: 'root' }],
  ])('reads %s', (path, file) => {
    expect(pkiFileAt(path)).toEqual(file);
  });

  it.each(['/pki/intermediate-g1.crl', '/pki/intermediate-g0.crl', '/pki/intermediate-g02.crl', '/pki/intermediate-g.crl', '/pki/intermediate-g2.pem', '/pki/ocsp', '/pki/../root.cer', '/'])('serves nothing at %s', (path) => {
    expect(pkiFileAt(path)).toBeUndefined();
  });
});
