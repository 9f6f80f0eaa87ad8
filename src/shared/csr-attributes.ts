import { z } from 'zod';
import { EC_CURVES, RSA_KEY_LENGTHS, type KeyTypeParameters } from './key-types';
import { isIso3166Alpha2 } from './validation/country-codes';
import { checkDnsName, isMultiLabelHostname } from './validation/dns-name';
import { checkIpAddress } from './validation/ip-address';
import { checkRfc822Name } from './validation/rfc822-name';
import { checkSubjectText } from './validation/subject-text';
import { hasControlCharacter, quoteValue, type CheckResult } from './validation/text';
import { checkUri } from './validation/uri';

// The one schema for the seed's csrAttributes: UI forms, IPC and the REST API all parse with it,
// and key generation refuses anything it has not parsed. Every field is checked on its own, so
// bad input yields every problem at once, each issue's path naming its field
// (e.g. subjectAlternativeNamesByType.dnsNames.1) and its message naming the value and the rule.
// The output is normalised: trimmed subject values, upper-case country, punycode lower-case
// DNS names, RFC 5952 IPv6, de-duplicated SANs, and a host-name CN copied into dnsNames.

/** A bound on every SAN list, so a request cannot make a CSR of unbounded size. */
export const MAX_SUBJECT_ALTERNATIVE_NAMES_PER_TYPE = 250;

function show(value: unknown): string {
  if (typeof value === 'string') return quoteValue(value);
  return JSON.stringify(value) ?? String(value);
}

const stringField = (label: string) =>
  z.string({ error: (issue) => (issue.input === undefined ? `${label} is required` : `${label} must be a string, not ${show(issue.input)}`) });

/** Turns a check into a zod transform: the normalised value, or one issue with the check's words. */
function applyCheck(check: (value: string) => CheckResult) {
  return (value: string, ctx: z.RefinementCtx): string => {
    const result = check(value);
    if (result.ok) return result.value;
    ctx.addIssue({ code: 'custom', message: result.problem, input: value });
    return z.NEVER;
  };
}

const requiredSubjectText = (label: string) => stringField(label).transform(applyCheck((value) => checkSubjectText(value, label)));

/** Optional subject values: absent, null, "" and blanks all mean "not in the subject". */
const optionalSubjectText = (label: string) =>
  stringField(label)
    .nullish()
    .transform((value, ctx) => {
      if (value === undefined || value === null || (value.trim() === '' && !hasControlCharacter(value))) return undefined;
      return applyCheck((v) => checkSubjectText(v, label))(value, ctx);
    });

const countrySchema = stringField('country')
  .nullish()
  .transform((value, ctx) => {
    if (value === undefined || value === null || value.trim() === '') return undefined;
    const code = value.trim().toUpperCase();
    if (isIso3166Alpha2(code)) return code;
    ctx.addIssue({ code: 'custom', input: value, message: `country ${show(value)} is not an ISO 3166-1 alpha-2 code: use two letters such as US, GB or DE` });
    return z.NEVER;
  });

const nameList = (label: string, check: (value: string) => CheckResult) =>
  z
    .array(stringField(label).transform(applyCheck(check)), { error: (issue) => `must be a list of ${label}s, not ${show(issue.input)}` })
    .max(MAX_SUBJECT_ALTERNATIVE_NAMES_PER_TYPE, `at most ${MAX_SUBJECT_ALTERNATIVE_NAMES_PER_TYPE} ${label}s are allowed`)
    .default(() => []);

// Strict: a typo such as `dnsName` must be an error, not SANs silently dropped.
export const subjectAlternativeNamesByTypeSchema = z.strictObject(
  {
    dnsNames: nameList('DNS name', (name) => checkDnsName(name)),
    ipAddresses: nameList('IP address', checkIpAddress),
    rfc822Names: nameList('email address', checkRfc822Name),
    uniformResourceIdentifiers: nameList('URI', checkUri),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}: use dnsNames, ipAddresses, rfc822Names or uniformResourceIdentifiers`
        : `subjectAlternativeNamesByType must be an object of lists, not ${show(issue.input)}`,
  },
);

const keyTypeParametersSchema = z
  .discriminatedUnion(
    'keyType',
    [
      z.object({
        keyType: z.literal('RSA'),
        keyLength: z
          .literal(RSA_KEY_LENGTHS, { error: (issue) => `keyLength ${show(issue.input)} is not supported: use ${RSA_KEY_LENGTHS.join(', ')}` })
          .default(2048),
      }),
      z.object({
        keyType: z.literal('EC'),
        keyCurve: z.enum(EC_CURVES, { error: (issue) => `keyCurve ${show(issue.input)} is not supported: use ${EC_CURVES.join(', ')}` }).default('P256'),
      }),
    ],
    {
      error: (issue) =>
        typeof issue.input !== 'object' || issue.input === null
          ? `keyTypeParameters must be an object such as {"keyType":"RSA","keyLength":2048}, not ${show(issue.input)}`
          : `keyType ${show((issue.input as { keyType?: unknown } | undefined)?.keyType)} is not supported: use RSA or EC`,
    },
  )
  .default(() => ({ keyType: 'RSA' as const, keyLength: 2048 as const }));

const csrAttributesShape = z.strictObject(
  {
    commonName: requiredSubjectText('commonName').superRefine((cn, ctx) => {
      const message = hostNameCommonNameProblem(cn);
      if (message) ctx.addIssue({ code: 'custom', input: cn, message });
    }),
    organization: optionalSubjectText('organization'),
    organizationalUnits: z
      .array(requiredSubjectText('organizationalUnit'), { error: (issue) => `organizationalUnits must be a list of strings, not ${show(issue.input)}` })
      .max(20, 'at most 20 organizationalUnits are allowed')
      .default(() => []),
    locality: optionalSubjectText('locality'),
    state: optionalSubjectText('state'),
    country: countrySchema,
    subjectAlternativeNamesByType: subjectAlternativeNamesByTypeSchema.default(() => ({
      dnsNames: [],
      ipAddresses: [],
      rfc822Names: [],
      uniformResourceIdentifiers: [],
    })),
    keyTypeParameters: keyTypeParametersSchema,
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}: csrAttributes takes commonName, organization, organizationalUnits, locality, state, country, subjectAlternativeNamesByType and keyTypeParameters`
        : `csrAttributes must be an object, not ${show(issue.input)}`,
  },
);

type ParsedShape = z.output<typeof csrAttributesShape>;

/**
 * Runs only on valid input. Public CAs require the CN among the SANs, so a host-name CN
 * (two labels or more: not "Jane Doe", not "admin") becomes the dnsName when none is given;
 * an IP-literal CN likewise becomes the ipAddress when no DNS name or IP is given.
 */
function normalise(attrs: ParsedShape) {
  const sans = attrs.subjectAlternativeNamesByType;
  const unique = (values: string[]) => [...new Set(values)];
  let dnsNames = unique(sans.dnsNames);
  let ipAddresses = unique(sans.ipAddresses);
  if (dnsNames.length === 0) {
    const cnAsDns = checkDnsName(attrs.commonName);
    if (cnAsDns.ok && isMultiLabelHostname(cnAsDns)) {
      dnsNames = [cnAsDns.value];
    } else if (ipAddresses.length === 0) {
      const cnAsIp = checkIpAddress(attrs.commonName);
      if (cnAsIp.ok) ipAddresses = [cnAsIp.value];
    }
  }
  return {
    ...attrs,
    organizationalUnits: unique(attrs.organizationalUnits),
    subjectAlternativeNamesByType: {
      dnsNames,
      ipAddresses,
      rfc822Names: unique(sans.rfc822Names),
      uniformResourceIdentifiers: unique(sans.uniformResourceIdentifiers),
    },
  };
}

/** A CN that looks like a host name: dotted, no spaces, no @ or /, not an IP address. */
export function looksLikeHostName(commonName: string): boolean {
  return /^[^\s@/\\:,;=]+\.[^\s@/\\:,;=]+$/u.test(commonName) && !checkIpAddress(commonName).ok;
}

/**
 * Why a host-name-like CN cannot be used, or undefined. Browsers match only the SAN's DNS names,
 * and a CN such as `*.*.example.com` could never be copied into them.
 */
export function hostNameCommonNameProblem(commonName: string): string | undefined {
  if (!looksLikeHostName(commonName)) return undefined;
  const asDns = checkDnsName(commonName);
  if (asDns.ok) return undefined;
  return `commonName ${asDns.problem}. Browsers accept a certificate only for the DNS names in its subject alternative names, so a host-name common name must be a valid DNS name, such as www.example.com or *.example.com`;
}

export const csrAttributesSchema = csrAttributesShape.transform(normalise);

/** What a caller may send (defaults not yet applied). */
export type CsrAttributesInput = z.input<typeof csrAttributesSchema>;
/** What the satellite works with after validation and normalisation. */
export type CsrAttributes = z.output<typeof csrAttributesSchema>;
export type SubjectAlternativeNamesByType = z.output<typeof subjectAlternativeNamesByTypeSchema>;

// The key parameters here carry value-naming messages but must stay the shape key-types.ts defines.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
type _KeyTypeParametersMatchKeyTypes = Assert<Same<CsrAttributes['keyTypeParameters'], KeyTypeParameters>>;
