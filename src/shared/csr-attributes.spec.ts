import { describe, expect, it } from 'vitest';
import { csrAttributesSchema } from './csr-attributes';
import { fieldErrorsFrom } from './field-errors';
import { formatSubjectDN } from './subject-dn';

const seed = {
  commonName: 'ask.venafi.example',
  organization: 'Venafi, Inc.',
  organizationalUnits: ['Quality Assurance'],
  locality: 'Salt Lake City',
  state: 'Utah',
  country: 'US',
  subjectAlternativeNamesByType: { dnsNames: ['ask.venafi.example'] },
};

describe('csrAttributesSchema normalisation', () => {
  it('accepts the seed and fills the defaults', () => {
    const parsed = csrAttributesSchema.parse(seed);
    expect(parsed.keyTypeParameters).toEqual({ keyType: 'RSA', keyLength: 2048 });
    expect(parsed.subjectAlternativeNamesByType).toEqual({ dnsNames: ['ask.venafi.example'], ipAddresses: [], rfc822Names: [], uniformResourceIdentifiers: [] });
  });

  it('formats subjectDN exactly as the seed response shows it', () => {
    expect(formatSubjectDN(csrAttributesSchema.parse(seed))).toBe('cn=ask.venafi.example,ou=Quality Assurance,o=Venafi, Inc.,c=US,st=Utah,l=Salt Lake City');
  });

  it('puts a host-name CN into dnsNames when none are given', () => {
    const parsed = csrAttributesSchema.parse({ commonName: 'www.example.com' });
    expect(parsed.subjectAlternativeNamesByType.dnsNames).toEqual(['www.example.com']);
  });

  it('puts a wildcard or IDN CN into dnsNames in its A-label form', () => {
    expect(csrAttributesSchema.parse({ commonName: '*.Bücher.example' }).subjectAlternativeNamesByType.dnsNames).toEqual(['*.xn--bcher-kva.example']);
  });

  it('leaves the SANs alone when dnsNames are given, and never adds a person\'s name', () => {
    expect(csrAttributesSchema.parse({ commonName: 'www.example.com', subjectAlternativeNamesByType: { dnsNames: ['api.example.com'] } }).subjectAlternativeNamesByType.dnsNames).toEqual(['api.example.com']);
    expect(csrAttributesSchema.parse({ commonName: 'Jane Doe' }).subjectAlternativeNamesByType.dnsNames).toEqual([]);
    expect(csrAttributesSchema.parse({ commonName: 'admin' }).subjectAlternativeNamesByType.dnsNames).toEqual([]);
  });

  it('puts an IP-literal CN into ipAddresses', () => {
    expect(csrAttributesSchema.parse({ commonName: '192.0.2.7' }).subjectAlternativeNamesByType.ipAddresses).toEqual(['192.0.2.7']);
  });

  it('converts IDNs to punycode, lower-cases DNS names, and de-duplicates', () => {
    const parsed = csrAttributesSchema.parse({
      commonName: 'x',
      subjectAlternativeNamesByType: {
        dnsNames: ['MÜNCHEN.example', 'xn--mnchen-3ya.example', 'ドメイン.テスト', 'WWW.Example.COM'],
        rfc822Names: ['pki@Bücher.example'],
      },
    });
    expect(parsed.subjectAlternativeNamesByType.dnsNames).toEqual(['xn--mnchen-3ya.example', 'xn--eckwd4c7c.xn--zckzah', 'www.example.com']);
    expect(parsed.subjectAlternativeNamesByType.rfc822Names).toEqual(['pki@xn--bcher-kva.example']);
  });

  it('writes IPv6 in RFC 5952 form', () => {
    const parsed = csrAttributesSchema.parse({ commonName: 'x', subjectAlternativeNamesByType: { ipAddresses: ['2001:DB8:0:0:0:0:0:1', '::ffff:192.0.2.1', '2001:db8:0:0:1:0:0:1'] } });
    expect(parsed.subjectAlternativeNamesByType.ipAddresses).toEqual(['2001:db8::1', '::ffff:192.0.2.1', '2001:db8::1:0:0:1']);
  });

  it('trims subject values, upper-cases the country and treats blank optional fields as absent', () => {
    const parsed = csrAttributesSchema.parse({ commonName: '  ask.venafi.example ', organization: '', locality: null, state: '   ', country: 'us' });
    expect(parsed).toMatchObject({ commonName: 'ask.venafi.example', country: 'US' });
    expect(parsed.organization).toBeUndefined();
    expect(parsed.locality).toBeUndefined();
    expect(parsed.state).toBeUndefined();
  });

  it('counts characters, not bytes: a 64-character non-ASCII CN is allowed', () => {
    expect(csrAttributesSchema.safeParse({ commonName: 'é'.repeat(64) }).success).toBe(true);
    expect(csrAttributesSchema.safeParse({ commonName: 'é'.repeat(65) }).success).toBe(false);
  });

  it('accepts every supported key type', () => {
    for (const p of [{ keyType: 'RSA', keyLength: 3072 }, { keyType: 'RSA', keyLength: 4096 }, { keyType: 'EC', keyCurve: 'P384' }, { keyType: 'EC', keyCurve: 'P521' }, { keyType: 'EC', keyCurve: 'ED25519' }, { keyType: 'EC' }]) {
      expect(csrAttributesSchema.safeParse({ commonName: 'x', keyTypeParameters: p }).success, JSON.stringify(p)).toBe(true);
    }
  });

  it('refuses non-ASCII URIs and shows their encoded form', () => {
    const r = csrAttributesSchema.safeParse({ commonName: 'x', subjectAlternativeNamesByType: { uniformResourceIdentifiers: ['https://bücher.example/ä'] } });
    expect(r.success).toBe(false);
    expect(fieldErrorsFrom(r.error!)[0]).toEqual({
      field: 'subjectAlternativeNamesByType.uniformResourceIdentifiers.0',
      message: expect.stringContaining('"https://xn--bcher-kva.example/%C3%A4"'),
    });
  });

  it('accepts absolute URIs of any scheme', () => {
    const uris = ['https://ask.venafi.example/path?q=1#f', 'spiffe://venafi.example/ns/qa/sa/web', 'urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66', 'ldap://ldap.example.com/dc=example'];
    expect(csrAttributesSchema.parse({ commonName: 'x', subjectAlternativeNamesByType: { uniformResourceIdentifiers: uris } }).subjectAlternativeNamesByType.uniformResourceIdentifiers).toEqual(uris);
  });

  it('names a misspelt field instead of dropping what it held', () => {
    const r = csrAttributesSchema.safeParse({ commonName: 'www.example.com', orgnization: 'Example', subjectAlternativeNamesByType: { dnsName: ['a.example.com'] } });
    expect(r.success).toBe(false);
    const messages = fieldErrorsFrom(r.error!).map((e) => `${e.field}: ${e.message}`);
    expect(messages).toContainEqual(expect.stringMatching(/^subjectAlternativeNamesByType.dnsName: unknown field "dnsName": use dnsNames/));
    expect(messages).toContainEqual(expect.stringMatching(/unknown field "orgnization"/));
  });
});

describe('a common name that looks like a host name', () => {
  it('must be a valid DNS name: *.*.example.com is refused on commonName, saying why browsers need it', () => {
    const result = csrAttributesSchema.safeParse({ commonName: '*.*.example.com' });
    expect(result.success).toBe(false);
    const issue = result.error!.issues[0]!;
    expect(issue.path).toEqual(['commonName']);
    expect(issue.message).toMatch(/^commonName "\*\.\*\.example\.com" is not a valid DNS name: .*Browsers accept a certificate only for the DNS names in its subject alternative names/);
  });

  it('a valid one becomes the DNS name when none is given; a person or an IP address is left alone', () => {
    expect(csrAttributesSchema.parse({ commonName: 'www.example.com' }).subjectAlternativeNamesByType.dnsNames).toEqual(['www.example.com']);
    expect(csrAttributesSchema.parse({ commonName: 'Jane Doe' }).subjectAlternativeNamesByType.dnsNames).toEqual([]);
    expect(csrAttributesSchema.parse({ commonName: 'Example, Inc. Issuing CA 1.2' }).subjectAlternativeNamesByType.dnsNames).toEqual([]);
    expect(csrAttributesSchema.parse({ commonName: '10.0.0.1' }).subjectAlternativeNamesByType.ipAddresses).toEqual(['10.0.0.1']);
  });
});

describe('names that look like other names', () => {
  it.each([
    ['commonName', { commonName: 'www.\u202eelpmaxe.com' }, /U\+202E \(right-to-left override\)/],
    ['organization', { commonName: 'a.example.com', organization: 'Exa\u200bmple' }, /U\+200B \(zero-width space\)/],
    ['dnsNames', { commonName: 'a.example.com', subjectAlternativeNamesByType: { dnsNames: ['a\u200d.example.com'] } }, /U\+200D \(zero-width joiner\)/],
    ['rfc822Names', { commonName: 'a.example.com', subjectAlternativeNamesByType: { rfc822Names: ['a\ufeff@example.com'] } }, /U\+FEFF \(byte order mark\)/],
    ['lone surrogate', { commonName: 'a.example.com', organization: 'bad\ud800' }, /a lone surrogate/],
  ])('%s with an invisible or direction-changing character is refused, naming it', (_name, input, message) => {
    const result = csrAttributesSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.message).join(' | ')).toMatch(message);
  });
});
