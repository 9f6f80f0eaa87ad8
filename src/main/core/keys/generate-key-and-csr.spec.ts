import { beforeEach, describe, expect, it, vi } from 'vitest';

// The real key generator, wrapped in a spy so each case can prove no key was made.
vi.mock('./node-key-pair', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./node-key-pair')>();
  return { ...actual, generateNodeKeyPairFor: vi.fn(actual.generateNodeKeyPairFor) };
});

import { generateNodeKeyPairFor as generateKeyPair } from './node-key-pair';
import { generateKeyAndCsr, InvalidCsrAttributesError } from './index';

const valid = {
  commonName: 'ask.venafi.example',
  organization: 'Venafi, Inc.',
  organizationalUnits: ['Quality Assurance'],
  locality: 'Salt Lake City',
  state: 'Utah',
  country: 'US',
  subjectAlternativeNamesByType: { dnsNames: ['ask.venafi.example'] },
  keyTypeParameters: { keyType: 'EC', keyCurve: 'P256' },
};

const withField = (field: string, value: unknown) => ({ ...valid, [field]: value });
const withSans = (type: string, values: unknown) => ({ ...valid, subjectAlternativeNamesByType: { [type]: values } });
const { commonName: _omitted, ...withoutCommonName } = valid;

const dns = 'subjectAlternativeNamesByType.dnsNames';
const ips = 'subjectAlternativeNamesByType.ipAddresses';
const emails = 'subjectAlternativeNamesByType.rfc822Names';
const uris = 'subjectAlternativeNamesByType.uniformResourceIdentifiers';

/** [case, input, the field the error names, words the message must contain (the value and the rule)]. */
const INVALID: [string, unknown, string, string[]][] = [
  ['empty CN', withField('commonName', ''), 'commonName', ['commonName must not be empty']],
  ['blank CN', withField('commonName', '   '), 'commonName', ['commonName must not be empty']],
  ['missing CN', withoutCommonName, 'commonName', ['commonName is required']],
  ['CN not a string', withField('commonName', 42), 'commonName', ['must be a string', '42']],
  ['65-character CN', withField('commonName', 'a'.repeat(65)), 'commonName', ['is 65 characters', 'at most 64']],
  ['NUL in CN', withField('commonName', 'ask\u0000.venafi.example'), 'commonName', ['"ask\\u0000.venafi.example"', 'control character']],
  ['three-letter country', withField('country', 'USA'), 'country', ['"USA"', 'ISO 3166-1 alpha-2']],
  ['user-assigned country', withField('country', 'XX'), 'country', ['"XX"', 'ISO 3166-1 alpha-2']],
  ['numeric country', withField('country', '12'), 'country', ['"12"', 'ISO 3166-1 alpha-2']],
  ['65-character organization', withField('organization', 'O'.repeat(65)), 'organization', ['is 65 characters', 'at most 64']],
  ['BEL in organization', withField('organization', 'Venafi\u0007'), 'organization', ['"Venafi\\u0007"', 'control character']],
  ['C1 control in organization', withField('organization', 'Ven\u0085afi'), 'organization', ['control character']],
  ['NUL in an OU', withField('organizationalUnits', ['Quality Assurance', 'QA\u0000']), 'organizationalUnits.1', ['"QA\\u0000"', 'control character']],
  ['empty OU', withField('organizationalUnits', ['']), 'organizationalUnits.0', ['organizationalUnit must not be empty']],
  ['line break in locality', withField('locality', 'Salt Lake\nCity'), 'locality', ['"Salt Lake\\nCity"', 'control character']],
  ['65-character state', withField('state', 'S'.repeat(65)), 'state', ['is 65 characters', 'at most 64']],
  ['double wildcard', withSans('dnsNames', ['*.*.example.com']), `${dns}.0`, ['"*.*.example.com"', 'wildcard is allowed only as the whole left-most label']],
  ['empty label', withSans('dnsNames', ['a..example.com']), `${dns}.0`, ['"a..example.com"', 'empty label']],
  ['64-character label', withSans('dnsNames', [`${'a'.repeat(64)}.example.com`]), `${dns}.0`, ['is 64 characters', 'a label is at most 63']],
  ['254-character name', withSans('dnsNames', [`${Array.from({ length: 4 }, () => 'a'.repeat(62)).join('.')}.example`]), `${dns}.0`, ['at most 253']],
  ['leading hyphen', withSans('dnsNames', ['-www.example.com']), `${dns}.0`, ['"-www.example.com"', 'must not start or end with a hyphen']],
  ['trailing hyphen', withSans('dnsNames', ['www-.example.com']), `${dns}.0`, ['must not start or end with a hyphen']],
  ['underscore', withSans('dnsNames', ['a_b.example.com']), `${dns}.0`, ['"a_b"', 'only letters, digits and hyphens']],
  ['partial-label wildcard', withSans('dnsNames', ['w*.example.com']), `${dns}.0`, ['whole left-most label']],
  ['wildcard over a TLD', withSans('dnsNames', ['*.com']), `${dns}.0`, ['"*.com"', 'at least two labels after it']],
  ['trailing dot', withSans('dnsNames', ['example.com.']), `${dns}.0`, ['must not end with a dot']],
  ['space in a DNS name', withSans('dnsNames', ['www example.com']), `${dns}.0`, ['contains a space']],
  ['IP in dnsNames', withSans('dnsNames', ['192.0.2.1']), `${dns}.0`, ['belongs in ipAddresses']],
  ['second DNS name bad', withSans('dnsNames', ['ok.example.com', 'bad..example.com']), `${dns}.1`, ['"bad..example.com"']],
  ['IPv4 octet over 255', withSans('ipAddresses', ['256.1.1.1']), `${ips}.0`, ['"256.1.1.1"', 'not a valid IPv4 address']],
  ['IPv4 leading zero', withSans('ipAddresses', ['192.168.01.1']), `${ips}.0`, ['"192.168.01.1"', 'no leading zeros']],
  ['IPv4 with three parts', withSans('ipAddresses', ['10.0.0']), `${ips}.0`, ['"10.0.0"', 'not a valid IPv4 address']],
  ['IPv6 with two ::', withSans('ipAddresses', ['2001:db8::1::1']), `${ips}.0`, ['"2001:db8::1::1"', 'not a valid IPv6 address']],
  ['IPv6 non-hex group', withSans('ipAddresses', ['2001:db8::g']), `${ips}.0`, ['not a valid IPv6 address']],
  ['IPv6 with a zone id', withSans('ipAddresses', ['fe80::1%eth0']), `${ips}.0`, ['"fe80::1%eth0"', 'no zone id']],
  ['IPv6 with nine groups', withSans('ipAddresses', ['1:2:3:4:5:6:7:8:9']), `${ips}.0`, ['not a valid IPv6 address']],
  ['email without @', withSans('rfc822Names', ['admin.example.com']), `${emails}.0`, ['"admin.example.com"', 'local-part@domain']],
  ['email without local part', withSans('rfc822Names', ['@example.com']), `${emails}.0`, ['local-part@domain']],
  ['email with a bad domain', withSans('rfc822Names', ['admin@a..example.com']), `${emails}.0`, ['"admin@a..example.com"', 'empty label']],
  ['email with a space', withSans('rfc822Names', ['ad min@example.com']), `${emails}.0`, ['the part before @']],
  ['relative URI', withSans('uniformResourceIdentifiers', ['/ops/status']), `${uris}.0`, ['"/ops/status"', 'must be absolute, with a scheme']],
  ['URI without scheme', withSans('uniformResourceIdentifiers', ['example.com/path']), `${uris}.0`, ['must be absolute, with a scheme']],
  ['URI with a space', withSans('uniformResourceIdentifiers', ['https://example.com/a b']), `${uris}.0`, ['contains a space']],
  ['URI with NUL', withSans('uniformResourceIdentifiers', ['https://example.com/\u0000']), `${uris}.0`, ['control character']],
  ['dnsNames not a list', withSans('dnsNames', 'ask.venafi.example'), dns, ['must be a list of DNS names']],
  ['RSA 1024', withField('keyTypeParameters', { keyType: 'RSA', keyLength: 1024 }), 'keyTypeParameters.keyLength', ['keyLength 1024', '2048, 3072, 4096']],
  ['curve P192', withField('keyTypeParameters', { keyType: 'EC', keyCurve: 'P192' }), 'keyTypeParameters.keyCurve', ['"P192"', 'P256, P384, P521, ED25519']],
  ['key type DSA', withField('keyTypeParameters', { keyType: 'DSA' }), 'keyTypeParameters.keyType', ['"DSA"', 'use RSA or EC']],
  ['csrAttributes not an object', 'ask.venafi.example', '(body)', ['csrAttributes must be an object']],
];

async function rejection(input: unknown): Promise<InvalidCsrAttributesError> {
  const error = await generateKeyAndCsr(input).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidCsrAttributesError);
  return error as InvalidCsrAttributesError;
}

describe('generateKeyAndCsr: validation before any key is made', () => {
  beforeEach(() => {
    vi.mocked(generateKeyPair).mockClear();
  });

  it('has a table of at least 30 invalid inputs', () => {
    expect(INVALID.length).toBeGreaterThanOrEqual(30);
  });

  it.each(INVALID)('%s: the error names its field, value and rule; no key is generated', async (_case, input, field, words) => {
    const error = await rejection(input);
    const named = error.fieldErrors.find((e) => e.field === field);
    expect(named, `no error for ${field} in ${JSON.stringify(error.fieldErrors)}`).toBeDefined();
    for (const word of words) expect(named!.message).toContain(word);
    expect(error.message).toContain(field);
    expect(generateKeyPair).not.toHaveBeenCalled();
  });

  it('reports every problem at once', async () => {
    const error = await rejection({
      commonName: '',
      country: 'USA',
      organizationalUnits: ['ok', 'bad\u0000'],
      subjectAlternativeNamesByType: {
        dnsNames: ['good.example.com', '*.*.example.com', 'a..example.com'],
        ipAddresses: ['300.1.1.1'],
        rfc822Names: ['nobody'],
        uniformResourceIdentifiers: ['relative/path'],
      },
      keyTypeParameters: { keyType: 'RSA', keyLength: 1024 },
    });
    expect(error.fieldErrors.map((e) => e.field).sort()).toEqual(
      [
        'commonName',
        'country',
        'organizationalUnits.1',
        `${dns}.1`,
        `${dns}.2`,
        `${ips}.0`,
        `${emails}.0`,
        `${uris}.0`,
        'keyTypeParameters.keyLength',
      ].sort(),
    );
    expect(generateKeyPair).not.toHaveBeenCalled();
  });

  it('generates exactly one key for valid input (the spy does see generations)', async () => {
    const { keys, csr, attributes } = await generateKeyAndCsr(valid);
    expect(generateKeyPair).toHaveBeenCalledTimes(1);
    expect(keys.params).toEqual({ keyType: 'EC', keyCurve: 'P256' });
    expect(csr.pem).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----\n/);
    expect(attributes.subjectAlternativeNamesByType.dnsNames).toEqual(['ask.venafi.example']);
  });
});
