import { randomUUID } from 'node:crypto';
import {
  applicationSchema,
  issuingTemplateSchema,
  type Application,
  type ApplicationServerType,
  type IssuingTemplate,
  type KeystoreFormat,
  type ServerPlatform,
} from '../../../shared/settings';

/**
 * The application server types, with fixed ids: the same on every satellite, so scripts and
 * API clients can name them. Apache and Citrix carry the cloud's own global ids, which the
 * vendor's clients hard-code (vcert: APPLICATION_SERVER_TYPE_ID, "DO NOT CHANGE!").
 */
export const SERVER_TYPES: readonly ApplicationServerType[] = (
  [
    ['784938d1-ef0d-11eb-9461-7bb533ba575b', 'Apache', 'PEM'],
    ['fcaa7c50-c42d-4715-a5a8-645294fe4737', 'IIS', 'PKCS12'],
    ['a5ee8647-e8a0-4fa0-a8d1-6d3f855836a7', 'F5', 'PEM'],
    ['905da991-3721-4593-ac6d-e130afacd29a', 'Nginx', 'PEM'],
    ['a326d58d-638b-4317-a316-73d9def4dc47', 'Tomcat', 'JKS'],
    ['784a9861-ef0d-11eb-b9e4-49df27378808', 'Citrix', 'PKCS12'],
    ['5d6a46e5-810a-4ec3-a30f-376afb7822fa', 'Jetty', 'JKS'],
    ['d598f8f9-c0dc-4eb2-87de-d5c7fc02aa1b', 'Other', 'PEM'],
  ] as [string, ServerPlatform, KeystoreFormat][]
).map(([id, platformName, keystoreType]) => ({ id, platformName, keystoreType }));

export const DEFAULT_APPLICATION_NAME = 'Default';
export const DEFAULT_TEMPLATE_ALIAS = 'Default';
export const BUILTIN_TEMPLATE_NAME = 'Built-in CA';

/** What a new user gets: the built-in CA template, and a Default application mapping alias "Default" to it. */
export function firstRunSeed(now = new Date().toISOString()): { applications: Application[]; issuingTemplates: IssuingTemplate[] } {
  const template = issuingTemplateSchema.parse({
    id: randomUUID(),
    name: BUILTIN_TEMPLATE_NAME,
    certificateAuthority: 'BUILTIN',
    caSettings: { type: 'BUILTIN' },
    keyGeneratedByVenafiAllowed: true,
    csrUploadAllowed: true,
    keyTypes: [
      { keyType: 'RSA', keyLengths: [2048, 3072, 4096] },
      { keyType: 'EC', keyCurves: ['P256', 'P384', 'P521', 'ED25519'] },
    ],
    validityPeriod: 'P397D',
    defaultValidityPeriod: 'P90D',
    subjectCNRegexes: ['.*'],
    subjectORegexes: ['.*'],
    subjectOURegexes: ['.*'],
    subjectLRegexes: ['.*'],
    subjectSTRegexes: ['.*'],
    subjectCValues: ['.*'],
    sanRegexes: ['.*'],
    sanIpAddressRegexes: ['.*'],
    sanRfc822NameRegexes: ['.*'],
    // The cloud's form, (protocols)://...: its clients read the allowed protocols out of it.
    sanUniformResourceIdentifierRegexes: ['(https|http|ldaps|ldap|ftps|ftp|urn)://.*'],
    recommendedSettings: { key: { type: 'RSA', length: 2048 } },
    extendedKeyUsageValues: ['SERVER_AUTH', 'CLIENT_AUTH'],
    creationDate: now,
    modificationDate: now,
  });
  const application = applicationSchema.parse({
    id: randomUUID(),
    name: DEFAULT_APPLICATION_NAME,
    description: 'Created on first run: certificates from the built-in CA, no setup needed.',
    certificateIssuingTemplateAliasIdMap: { [DEFAULT_TEMPLATE_ALIAS]: template.id },
    creationDate: now,
    modificationDate: now,
  });
  return { applications: [application], issuingTemplates: [template] };
}
