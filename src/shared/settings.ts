import { z } from 'zod';
import { nestedQuantifierProblem } from './validation/regex-safety';
import { EC_CURVES, RSA_KEY_LENGTHS } from './key-types';
import { isoDurationSchema } from './durations';
import { caSettingsSchema } from './ca-settings';

export const KEYSTORE_FORMATS = ['PEM', 'PKCS12', 'JKS'] as const;
export type KeystoreFormat = (typeof KEYSTORE_FORMATS)[number];

export const CERTIFICATE_AUTHORITIES = ['BUILTIN', 'MANUAL', 'ACME', 'CLOUD'] as const;
export type CertificateAuthorityType = (typeof CERTIFICATE_AUTHORITIES)[number];

export const uuidSchema = z.uuid({ error: 'must be a UUID' });

/** An application groups certificates and maps template aliases to issuing templates. */
export const applicationSchema = z.object({
  id: uuidSchema,
  name: z.string().trim().min(1, 'name is required').max(128, 'name is at most 128 characters'),
  description: z.string().max(1024).default(''),
  /** The cloud's name: alias -> issuing template id. */
  certificateIssuingTemplateAliasIdMap: z.record(z.string().min(1), uuidSchema).default({}),
  creationDate: z.string(),
  modificationDate: z.string(),
});
export type Application = z.output<typeof applicationSchema>;
export const applicationInputSchema = applicationSchema.omit({ id: true, creationDate: true, modificationDate: true });
export type ApplicationInput = z.input<typeof applicationInputSchema>;

export const EXTENDED_KEY_USAGES = ['SERVER_AUTH', 'CLIENT_AUTH', 'CODE_SIGNING', 'EMAIL_PROTECTION', 'TIME_STAMPING', 'OCSP_SIGNING'] as const;
export type ExtendedKeyUsage = (typeof EXTENDED_KEY_USAGES)[number];

const regexListSchema = z
  .array(
    z
      .string()
      .max(1000, 'is longer than 1000 characters; a name pattern needs far fewer')
      .superRefine((source, ctx) => {
        try {
          new RegExp(source);
        } catch {
          ctx.addIssue({ code: 'custom', message: 'is not a valid regular expression' });
          return;
        }
        const problem = nestedQuantifierProblem(source);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
  )
  .default(['.*']);

export const templateKeyTypeSchema = z.discriminatedUnion('keyType', [
  z.object({ keyType: z.literal('RSA'), keyLengths: z.array(z.union(RSA_KEY_LENGTHS.map((n) => z.literal(n)))).min(1) }),
  z.object({ keyType: z.literal('EC'), keyCurves: z.array(z.enum(EC_CURVES)).min(1) }),
]);
export type TemplateKeyType = z.output<typeof templateKeyTypeSchema>;

export const recommendedSettingsSchema = z.object({
  subjectOValue: z.string().optional(),
  subjectOUValue: z.string().optional(),
  subjectLValue: z.string().optional(),
  subjectSTValue: z.string().optional(),
  subjectCValue: z.string().optional(),
  key: z
    .object({ type: z.enum(['RSA', 'EC']), length: z.number().int().optional(), curve: z.enum(EC_CURVES).optional() })
    .optional(),
});

/** An issuing template: which CA, and the policy every request under it must meet. Field names follow the cloud. */
export const issuingTemplateSchema = z.object({
  id: uuidSchema,
  name: z.string().trim().min(1, 'name is required').max(128),
  /** BUILTIN, MANUAL (offline: export the CSR, import the certificate), ACME or CLOUD; the connector's own settings are in caSettings. */
  certificateAuthority: z.enum(CERTIFICATE_AUTHORITIES),
  caSettings: caSettingsSchema,
  /** ASK: the satellite generates the key. */
  keyGeneratedByVenafiAllowed: z.boolean().default(true),
  csrUploadAllowed: z.boolean().default(true),
  keyTypes: z.array(templateKeyTypeSchema).min(1, 'at least one key type must be allowed'),
  /** Maximum validity (the cloud's validityPeriod). */
  validityPeriod: isoDurationSchema,
  /** Used when a request names none. */
  defaultValidityPeriod: isoDurationSchema.optional(),
  subjectCNRegexes: regexListSchema,
  subjectORegexes: regexListSchema,
  subjectOURegexes: regexListSchema,
  subjectLRegexes: regexListSchema,
  subjectSTRegexes: regexListSchema,
  /** Allowed countries; empty or ['.*'] allows any. */
  subjectCValues: z.array(z.string()).default(['.*']),
  sanRegexes: regexListSchema,
  sanIpAddressRegexes: regexListSchema,
  sanRfc822NameRegexes: regexListSchema,
  sanUniformResourceIdentifierRegexes: regexListSchema,
  recommendedSettings: recommendedSettingsSchema.default({}),
  extendedKeyUsageValues: z.array(z.enum(EXTENDED_KEY_USAGES)).default(['SERVER_AUTH', 'CLIENT_AUTH']),
  creationDate: z.string(),
  modificationDate: z.string(),
});
export type IssuingTemplate = z.output<typeof issuingTemplateSchema>;
export const issuingTemplateInputSchema = issuingTemplateSchema.omit({ id: true, creationDate: true, modificationDate: true });
export type IssuingTemplateInput = z.input<typeof issuingTemplateInputSchema>;

export const SERVER_PLATFORMS = ['Apache', 'IIS', 'F5', 'Nginx', 'Tomcat', 'Citrix', 'Jetty', 'Other'] as const;
export type ServerPlatform = (typeof SERVER_PLATFORMS)[number];

/** The cloud's applicationservertypes: a platform and the keystore it expects. */
export const applicationServerTypeSchema = z.object({
  id: uuidSchema,
  platformName: z.enum(SERVER_PLATFORMS),
  keystoreType: z.enum(KEYSTORE_FORMATS),
});
export type ApplicationServerType = z.output<typeof applicationServerTypeSchema>;
