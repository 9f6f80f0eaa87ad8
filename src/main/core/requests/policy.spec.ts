import { describe, expect, it } from 'vitest';
import { issuingTemplateSchema } from '../../../shared/settings';
import { csrAttributesSchema } from '../../../shared/csr-attributes';
import { applyRecommendedSettings, checkPolicy, effectiveValidity, policyErrorInformation } from './policy';

const template = issuingTemplateSchema.parse({
  id: '11a0c6e2-28f5-11eb-999a-4d91b3bd6de9',
  name: 'Web servers',
  certificateAuthority: 'BUILTIN',
  caSettings: { type: 'BUILTIN' },
  keyTypes: [{ keyType: 'RSA', keyLengths: [2048] }],
  validityPeriod: 'P30D',
  defaultValidityPeriod: 'P7D',
  subjectCNRegexes: ['.*\\.example\\.com'],
  sanRegexes: ['.*\\.example\\.com'],
  subjectCValues: ['US', 'DE'],
  recommendedSettings: { subjectOValue: 'Example Inc.', subjectCValue: 'US' },
  creationDate: '2026-01-01T00:00:00Z',
  modificationDate: '2026-01-01T00:00:00Z',
});

const attrs = (over: object) => csrAttributesSchema.parse({ commonName: 'www.example.com', keyTypeParameters: { keyType: 'RSA', keyLength: 2048 }, ...over });

describe('issuing template policy', () => {
  it('lets a conforming request through', () => {
    expect(checkPolicy(template, attrs({}), 'P7D')).toEqual([]);
  });

  it('names the field, the value and the rule for a CN outside the regex', () => {
    const [v] = checkPolicy(template, attrs({ commonName: 'www.example.org' }), 'P7D');
    expect(v).toMatchObject({ field: 'csrAttributes.commonName', value: 'www.example.org' });
    expect(v!.message).toContain('subjectCNRegexes');
  });

  it('matches whole values, not substrings', () => {
    expect(checkPolicy(template, attrs({ commonName: 'www.example.com.evil.org' }), 'P7D')).toHaveLength(2);
  });

  it('refuses a key type and a validity the template does not allow', () => {
    const violations = checkPolicy(template, attrs({ keyTypeParameters: { keyType: 'EC', keyCurve: 'P256' } }), 'P90D');
    expect(violations.map((v) => v.field)).toEqual(['csrAttributes.keyTypeParameters', 'validityPeriod']);
    const info = policyErrorInformation(violations);
    expect(info.message).toContain('EC P-256');
    expect(info.message).toContain('and 1 more problem');
    expect(info.args).toHaveLength(2);
  });

  it('refuses a country outside subjectCValues with the cloud code 10726', () => {
    const info = policyErrorInformation(checkPolicy(template, attrs({ country: 'FR' }), 'P7D'));
    expect(info.code).toBe(10726);
  });

  it('fills missing subject fields from the recommended settings and picks the default validity', () => {
    const filled = applyRecommendedSettings(template, attrs({}));
    expect(filled.organization).toBe('Example Inc.');
    expect(filled.country).toBe('US');
    expect(effectiveValidity(template, undefined)).toBe('P7D');
    expect(effectiveValidity(template, 'P1D')).toBe('P1D');
  });
});

describe('a CSR brings its own names', () => {
  // What the CSR reader hands policy: the CSR's subject and SANs as they are, not normalised.
  const fromCsr = (commonName: string, dnsNames: string[]) => ({
    ...attrs({}),
    commonName,
    subjectAlternativeNamesByType: { dnsNames, ipAddresses: [], rfc822Names: [], uniformResourceIdentifiers: [] },
  });

  it('a host-name CN with no SAN at all is accepted, as the cloud accepts it (vcert sends such CSRs)', () => {
    expect(checkPolicy({ ...template, subjectCNRegexes: ['.*'], sanRegexes: ['.*'] }, fromCsr('www.example.com', []), 'P30D')).toEqual([]);
  });

  it('an invalid host-name CN is refused even with SANs; a person CN with SANs passes', () => {
    const open = { ...template, subjectCNRegexes: ['.*'], sanRegexes: ['.*'] };
    expect(checkPolicy(open, fromCsr('*.*.example.com', ['a.example.com']), 'P30D')[0]?.message).toMatch(/not a valid DNS name: a wildcard/);
    expect(checkPolicy(open, fromCsr('Jane Doe', ['a.example.com']), 'P30D')).toEqual([]);
  });
});
