import { z } from 'zod';
import type { RpcParsedInput } from '../../shared/client';
import type { IssuingTemplate, TemplateKeyType } from '../../shared/settings';
import { CERTIFICATE_AUTHORITIES } from '../../shared/settings';
import { durationSeconds, isoDurationSchema } from '../../shared/durations';

// The cloud's issuing template as its clients write it (set_policy: Venafi/vcert
// pkg/policy/policyStructures.go CloudPolicyRequest, vcert-python vcert/policy/pm_cloud.py
// build_cit_request), turned into the satellite's saveIssuingTemplate input. Like the cloud's, a
// create or an update sets the whole policy: a name list sent as null or left out allows nothing
// (vcert leaves sanUniformResourceIdentifierRegexes out when URIs are not allowed). Only what the
// cloud's body cannot say (the CA's own settings, the default validity, the extended key usages)
// is kept from the template being changed.

const regexes = z.array(z.string().max(1000)).max(100).nullable().optional();

export const cloudTemplateBodySchema = z
  .object({
    name: z.string(),
    certificateAuthority: z.string(),
    /** The product option the client looked up (GET /v1/certificateauthorities/{ca}/accounts); the satellite has one per CA. */
    certificateAuthorityProductOptionId: z.string().optional(),
    product: z
      .object({
        certificateAuthority: z.string().optional(),
        productName: z.string().optional(),
        validityPeriod: z.string({ error: 'product.validityPeriod is required, e.g. P90D' }),
        hashAlgorithm: z.string().optional(),
        autoRenew: z.boolean().optional(),
        organizationId: z.number().optional(),
      })
      .strict(),
    /** Entrust's requester details: no CA of the satellite's uses them. */
    trackingData: z.unknown().optional(),
    subjectCNRegexes: regexes,
    subjectORegexes: regexes,
    subjectOURegexes: regexes,
    subjectLRegexes: regexes,
    subjectSTRegexes: regexes,
    subjectCValues: regexes,
    sanRegexes: regexes,
    sanIpAddressRegexes: regexes,
    sanRfc822NameRegexes: regexes,
    sanUniformResourceIdentifierRegexes: regexes,
    keyTypes: z
      .array(z.object({ keyType: z.string(), keyLengths: z.array(z.number()).optional(), keyCurves: z.array(z.string()).optional() }).strict())
      .nullable()
      .optional(),
    keyReuse: z.boolean().nullable().optional(),
    recommendedSettings: z
      .object({
        subjectCNRegexes: regexes,
        subjectOValue: z.string().nullable().optional(),
        subjectOUValue: z.string().nullable().optional(),
        subjectLValue: z.string().nullable().optional(),
        subjectSTValue: z.string().nullable().optional(),
        subjectCValue: z.string().nullable().optional(),
        sanRegexes: regexes,
        key: z.object({ type: z.string(), length: z.number().optional(), curve: z.string().optional() }).strict().nullable().optional(),
      })
      .strict()
      .nullable()
      .optional(),
    csrUploadAllowed: z.boolean().optional(),
    keyGeneratedByVenafiAllowed: z.boolean().optional(),
  })
  .strict();
export type CloudTemplateBody = z.output<typeof cloudTemplateBodySchema>;

/** A problem with the body that the shared schema cannot name in the cloud's words. */
export class CloudTemplateError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

const list = (value: string[] | null | undefined): string[] => value ?? [];
function keptDefaultValidity(kept: string | undefined, maximum: string): string | undefined {
  if (!kept || !isoDurationSchema.safeParse(maximum).success) return undefined;
  return durationSeconds(kept) <= durationSeconds(maximum) ? kept : undefined;
}

const text = (value: string | null | undefined) => (value === null || value === '' ? undefined : value);

/**
 * The saveIssuingTemplate input for a cloud template body: a new template (no `existing`) or an
 * update of `existing`, whose CA settings (ACME account, cloud connection) are kept as they are.
 */
export function templateInputFromCloud(body: CloudTemplateBody, existing?: IssuingTemplate): RpcParsedInput<'saveIssuingTemplate'> {
  const ca = body.certificateAuthority.toUpperCase();
  if (!(CERTIFICATE_AUTHORITIES as readonly string[]).includes(ca)) {
    throw new CloudTemplateError('certificateAuthority', `certificateAuthority: "${body.certificateAuthority.slice(0, 32)}" is not a CA here; use ${CERTIFICATE_AUTHORITIES.join(', ')}`);
  }
  const certificateAuthority = ca as IssuingTemplate['certificateAuthority'];
  if (body.keyReuse === true) {
    throw new CloudTemplateError('keyReuse', 'keyReuse: the satellite makes a new key pair for every certificate and never reuses one; send keyReuse false (vcert: reuseAllowed false)');
  }
  let caSettings: IssuingTemplate['caSettings'];
  if (existing && existing.certificateAuthority === certificateAuthority) caSettings = existing.caSettings;
  else if (certificateAuthority === 'BUILTIN' || certificateAuthority === 'MANUAL') caSettings = { type: certificateAuthority };
  else {
    throw new CloudTemplateError(
      'certificateAuthority',
      `certificateAuthority: a ${certificateAuthority} template needs its CA's settings (${certificateAuthority === 'ACME' ? 'directory URL, account, challenge' : 'the cloud URL and API key'}); create it in Settings > Issuing templates, then set_policy can change its policy`,
    );
  }
  const keyTypes = body.keyTypes?.map((k): TemplateKeyType => {
    const type = k.keyType.toUpperCase();
    if (type === 'RSA') return { keyType: 'RSA', keyLengths: (k.keyLengths ?? [2048]) as never };
    if (type === 'EC') return { keyType: 'EC', keyCurves: (k.keyCurves ?? ['P256']).map((c) => c.toUpperCase()) as never };
    throw new CloudTemplateError('keyTypes', `keyTypes: keyType "${k.keyType.slice(0, 16)}" is not one the satellite makes; use RSA or EC`);
  });
  const rs = body.recommendedSettings;
  const key = rs?.key ? { type: rs.key.type.toUpperCase() as 'RSA' | 'EC', ...(rs.key.length ? { length: rs.key.length } : {}), ...(rs.key.curve ? { curve: rs.key.curve.toUpperCase() as never } : {}) } : undefined;
  const recommendedSettings =
    rs === undefined || rs === null
      ? {}
      : {
          subjectOValue: text(rs.subjectOValue),
          subjectOUValue: text(rs.subjectOUValue),
          subjectLValue: text(rs.subjectLValue),
          subjectSTValue: text(rs.subjectSTValue),
          subjectCValue: text(rs.subjectCValue),
          ...(key ? { key } : {}),
        };
  const input = {
    ...(existing ? { id: existing.id } : {}),
    name: body.name,
    certificateAuthority,
    caSettings,
    keyGeneratedByVenafiAllowed: body.keyGeneratedByVenafiAllowed ?? true,
    csrUploadAllowed: body.csrUploadAllowed ?? true,
    keyTypes: keyTypes ?? [{ keyType: 'RSA', keyLengths: [2048] }],
    validityPeriod: body.product.validityPeriod,
    // Kept only while it still fits under the new maximum.
    defaultValidityPeriod: keptDefaultValidity(existing?.defaultValidityPeriod, body.product.validityPeriod),
    subjectCNRegexes: list(body.subjectCNRegexes),
    subjectORegexes: list(body.subjectORegexes),
    subjectOURegexes: list(body.subjectOURegexes),
    subjectLRegexes: list(body.subjectLRegexes),
    subjectSTRegexes: list(body.subjectSTRegexes),
    subjectCValues: list(body.subjectCValues),
    sanRegexes: list(body.sanRegexes),
    sanIpAddressRegexes: list(body.sanIpAddressRegexes),
    sanRfc822NameRegexes: list(body.sanRfc822NameRegexes),
    sanUniformResourceIdentifierRegexes: list(body.sanUniformResourceIdentifierRegexes),
    recommendedSettings,
    extendedKeyUsageValues: existing?.extendedKeyUsageValues,
  };
  // Left-out fields take the schema's defaults, as a template made in Settings does.
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as RpcParsedInput<'saveIssuingTemplate'>;
}

/** The cloud's application body (POST/PUT /outagedetection/v1/applications), as vcert's set_policy sends it. */
export const cloudApplicationBodySchema = z
  .object({
    name: z.string(),
    description: z.string().nullable().optional(),
    /** The satellite has one user and one team, who own every application. */
    ownerIdsAndTypes: z.array(z.object({ ownerId: z.string(), ownerType: z.string() }).strict()).nullable().optional(),
    certificateIssuingTemplateAliasIdMap: z.record(z.string(), z.string()).nullable().optional(),
    // What the cloud keeps about where an application runs; nothing here uses it.
    fqdns: z.array(z.string()).nullable().optional(),
    internalFqdns: z.array(z.string()).nullable().optional(),
    internalIpRanges: z.array(z.string()).nullable().optional(),
    externalIpRanges: z.array(z.string()).nullable().optional(),
    internalPorts: z.array(z.string()).nullable().optional(),
    fullyQualifiedDomainNames: z.array(z.string()).nullable().optional(),
    ipRanges: z.array(z.string()).nullable().optional(),
    ports: z.array(z.string()).nullable().optional(),
    organizationalUnitId: z.string().nullable().optional(),
    startTargetedDiscovery: z.boolean().optional(),
  })
  .strict();
