import { describeNameConstraints, dnsPermitted, ipPermitted, type NameConstraints } from '../../../shared/name-constraints';
import { hostNameCommonNameProblem, looksLikeHostName, type CsrAttributes } from '../../../shared/csr-attributes';
import { durationSeconds } from '../../../shared/durations';
import { ERROR_CODES } from '../../../shared/error-codes';
import { describeKeyType, type KeyTypeParameters } from '../../../shared/key-types';
import type { IssuingTemplate } from '../../../shared/settings';
import type { ErrorInformation } from '../../../shared/certificate-request';

/** One rule of an issuing template that a request breaks. */
export interface PolicyViolation {
  field: string;
  value: string;
  rule: string;
  message: string;
}

// The cloud matches a whole value against each regex (Java's matches()), so anchor them.
function matchesAny(value: string, regexes: string[]): boolean {
  return regexes.some((source) => new RegExp(`^(?:${source})$`, 'u').test(value));
}

function checkValues(out: PolicyViolation[], field: string, values: (string | undefined)[], regexes: string[], templateField: string): void {
  for (const value of values) {
    if (value === undefined || value === '') continue;
    if (!matchesAny(value, regexes)) {
      out.push({
        field,
        value,
        rule: `${templateField}: ${regexes.join(' | ')}`,
        message: `${field} "${value}" is not allowed by the template's ${templateField} (${regexes.join(' | ')}); use a value that matches, or pick another template`,
      });
    }
  }
}

/** Fills O, OU, L, ST and C the request left empty from the template's recommended settings. */
export function applyRecommendedSettings(template: IssuingTemplate, attrs: CsrAttributes): CsrAttributes {
  const r = template.recommendedSettings;
  return {
    ...attrs,
    organization: attrs.organization || r.subjectOValue || undefined,
    organizationalUnits: attrs.organizationalUnits.length > 0 ? attrs.organizationalUnits : r.subjectOUValue ? [r.subjectOUValue] : [],
    locality: attrs.locality || r.subjectLValue || undefined,
    state: attrs.state || r.subjectSTValue || undefined,
    country: attrs.country || r.subjectCValue || undefined,
  };
}

export function keyTypeAllowed(template: IssuingTemplate, key: KeyTypeParameters): boolean {
  return template.keyTypes.some((allowed) =>
    allowed.keyType === 'RSA' && key.keyType === 'RSA'
      ? (allowed.keyLengths as number[]).includes(key.keyLength)
      : allowed.keyType === 'EC' && key.keyType === 'EC' && allowed.keyCurves.includes(key.keyCurve),
  );
}

function describeAllowedKeyTypes(template: IssuingTemplate): string {
  return template.keyTypes
    .map((k) => (k.keyType === 'RSA' ? `RSA ${k.keyLengths.join('/')}` : `EC ${k.keyCurves.join('/')}`))
    .join(', ');
}

/** The validity a request gets: what it asked for, else the template's default, else its maximum. */
export function effectiveValidity(template: IssuingTemplate, requested: string | undefined): string {
  return requested ?? template.defaultValidityPeriod ?? template.validityPeriod;
}

/** Every rule of the template that the request breaks; empty when it may proceed. Checked before any key is made. */
export function checkPolicy(template: IssuingTemplate, attrs: CsrAttributes, validityPeriod: string): PolicyViolation[] {
  const out: PolicyViolation[] = [];
  checkValues(out, 'csrAttributes.commonName', [attrs.commonName], template.subjectCNRegexes, 'subjectCNRegexes');
  checkValues(out, 'csrAttributes.organization', [attrs.organization], template.subjectORegexes, 'subjectORegexes');
  checkValues(out, 'csrAttributes.organizationalUnits', attrs.organizationalUnits, template.subjectOURegexes, 'subjectOURegexes');
  checkValues(out, 'csrAttributes.locality', [attrs.locality], template.subjectLRegexes, 'subjectLRegexes');
  checkValues(out, 'csrAttributes.state', [attrs.state], template.subjectSTRegexes, 'subjectSTRegexes');
  checkValues(out, 'csrAttributes.country', [attrs.country], template.subjectCValues.length ? template.subjectCValues : ['.*'], 'subjectCValues');
  const sans = attrs.subjectAlternativeNamesByType;
  checkValues(out, 'csrAttributes.subjectAlternativeNamesByType.dnsNames', sans.dnsNames, template.sanRegexes, 'sanRegexes');
  checkValues(out, 'csrAttributes.subjectAlternativeNamesByType.ipAddresses', sans.ipAddresses, template.sanIpAddressRegexes, 'sanIpAddressRegexes');
  checkValues(out, 'csrAttributes.subjectAlternativeNamesByType.rfc822Names', sans.rfc822Names, template.sanRfc822NameRegexes, 'sanRfc822NameRegexes');
  checkValues(
    out,
    'csrAttributes.subjectAlternativeNamesByType.uniformResourceIdentifiers',
    sans.uniformResourceIdentifiers,
    template.sanUniformResourceIdentifierRegexes,
    'sanUniformResourceIdentifierRegexes',
  );
  // A CSR brings its own names: a host-name CN must be a valid DNS name (the satellite's own CSRs always are).
  // A CSR with a host-name CN and no SAN at all is accepted, as the cloud accepts it (vcert sends such CSRs).
  const cnProblem = hostNameCommonNameProblem(attrs.commonName);
  if (cnProblem) out.push({ field: 'csrAttributes.commonName', value: attrs.commonName, rule: 'a host-name common name is a valid DNS name', message: cnProblem });
  if (!keyTypeAllowed(template, attrs.keyTypeParameters)) {
    const value = describeKeyType(attrs.keyTypeParameters);
    out.push({
      field: 'csrAttributes.keyTypeParameters',
      value,
      rule: `keyTypes: ${describeAllowedKeyTypes(template)}`,
      message: `csrAttributes.keyTypeParameters ${value} is not allowed by template "${template.name}"; allowed: ${describeAllowedKeyTypes(template)}`,
    });
  }
  if (durationSeconds(validityPeriod) > durationSeconds(template.validityPeriod)) {
    out.push({
      field: 'validityPeriod',
      value: validityPeriod,
      rule: `validityPeriod at most ${template.validityPeriod}`,
      message: `validityPeriod ${validityPeriod} is longer than template "${template.name}" allows (${template.validityPeriod}); ask for ${template.validityPeriod} or less`,
    });
  }
  return out;
}

/** The request's errorInformation for a policy rejection: the first violation in words, all of them in args. */
export function policyErrorInformation(violations: PolicyViolation[]): ErrorInformation {
  const first = violations[0]!;
  const subjectField = /commonName|organization|locality|state|country|subjectAlternativeNames/.test(first.field);
  return {
    type: 'POLICY',
    code: subjectField ? ERROR_CODES.SUBJECT_VALUE_NOT_ALLOWED : ERROR_CODES.POLICY_VIOLATION,
    message: violations.length === 1 ? first.message : `${first.message} (and ${violations.length - 1} more problem${violations.length > 2 ? 's' : ''})`,
    args: violations.map(({ field, value, rule }) => ({ field, value, rule })),
  };
}

/**
 * Names the CA's name constraints forbid (the built-in CA's, fixed in its certificate): every DNS
 * name (and a host-name common name) must lie in a permitted subtree, every IP address in a
 * permitted range. Checked with the template's policy, before any key is made.
 */
export function checkNameConstraints(attrs: CsrAttributes, constraints: NameConstraints): PolicyViolation[] {
  const out: PolicyViolation[] = [];
  const rule = `the built-in CA's name constraints (${describeNameConstraints(constraints)})`;
  const sans = attrs.subjectAlternativeNamesByType;
  const names: [string, string][] = (sans?.dnsNames ?? []).map((n, i) => [`csrAttributes.subjectAlternativeNamesByType.dnsNames.${i}`, n]);
  if (attrs.commonName && looksLikeHostName(attrs.commonName)) names.unshift(['csrAttributes.commonName', attrs.commonName]);
  for (const [field, value] of names) {
    if (!dnsPermitted(value, constraints)) out.push({ field, value, rule, message: `${field} "${value}" is outside ${rule}; this CA cannot issue for it: use a name under ${constraints.dns.join(' or ')}` });
  }
  (sans?.ipAddresses ?? []).forEach((value, i) => {
    const field = `csrAttributes.subjectAlternativeNamesByType.ipAddresses.${i}`;
    if (!ipPermitted(value, constraints)) out.push({ field, value, rule, message: `${field} "${value}" is outside ${rule}; this CA cannot issue for it` });
  });
  return out;
}
