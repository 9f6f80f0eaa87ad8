import { templateRuleErrors } from '../../shared/template-rules';
import {
  durationSeconds,
  fieldErrorsFrom,
  rpcInputSchemas,
  type CaSettings,
  type CertificateAuthorityType,
  type EcCurve,
  type ExtendedKeyUsage,
  type FieldError,
  type IssuingTemplate,
  type RpcInput,
  type RsaKeyLength,
  type TemplateKeyType,
} from '../../shared';

// The issuing template editor's form: flat strings and booleans, one per input, for every CA at
// once (switching the CA back and forth loses nothing typed). toSaveInput makes the
// saveIssuingTemplate input; validateDraft checks it with the shared schema before anything is sent.

export interface TemplateDraft {
  id?: string;
  name: string;
  certificateAuthority: CertificateAuthorityType;
  // ACME
  directoryUrl: string;
  contactEmail: string;
  termsOfServiceAgreed: boolean;
  eabKeyId: string;
  /** Write-only: empty keeps the stored key. */
  eabHmacKey: string;
  eabHmacKeyStored: boolean;
  challengeType: 'http-01' | 'dns-01';
  httpMode: 'standalone' | 'webroot';
  listenAddress: string;
  port: string;
  webroot: string;
  hookCommand: string;
  /** The certificate profile newOrder asks for ('' = the CA's default). */
  acmeProfile: string;
  // CLOUD
  baseUrl: string;
  remoteApplicationId: string;
  remoteCertificateIssuingTemplateId: string;
  /** Write-only: empty keeps the stored key. */
  apiKey: string;
  apiKeyStored: boolean;
  // Policy
  rsa: RsaKeyLength[];
  ec: EcCurve[];
  validityPeriod: string;
  /** '' means none: requests without a validity get the maximum. */
  defaultValidityPeriod: string;
  /** Regular expressions, one per line. */
  subjectCNRegexes: string;
  sanRegexes: string;
  extendedKeyUsageValues: ExtendedKeyUsage[];
  keyGeneratedByVenafiAllowed: boolean;
  csrUploadAllowed: boolean;
  /** The template as loaded: fields this editor does not show are kept as they were. */
  original?: IssuingTemplate;
}

const NEW_DRAFT: TemplateDraft = {
  name: '',
  certificateAuthority: 'BUILTIN',
  directoryUrl: '',
  contactEmail: '',
  termsOfServiceAgreed: false,
  eabKeyId: '',
  eabHmacKey: '',
  eabHmacKeyStored: false,
  challengeType: 'http-01',
  httpMode: 'standalone',
  listenAddress: '0.0.0.0',
  port: '80',
  webroot: '',
  hookCommand: '',
  acmeProfile: '',
  baseUrl: 'https://api.venafi.cloud',
  remoteApplicationId: '',
  remoteCertificateIssuingTemplateId: '',
  apiKey: '',
  apiKeyStored: false,
  rsa: [2048, 3072, 4096],
  ec: ['P256', 'P384'],
  validityPeriod: 'P90D',
  defaultValidityPeriod: '',
  subjectCNRegexes: '.*',
  sanRegexes: '.*',
  extendedKeyUsageValues: ['SERVER_AUTH', 'CLIENT_AUTH'],
  keyGeneratedByVenafiAllowed: true,
  csrUploadAllowed: true,
};

const lines = (list: string[]) => list.join('\n');
const fromLines = (text: string) =>
  text
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);

export function toDraft(t?: IssuingTemplate): TemplateDraft {
  if (!t) return { ...NEW_DRAFT };
  const rsa = t.keyTypes.find((k) => k.keyType === 'RSA');
  const ec = t.keyTypes.find((k) => k.keyType === 'EC');
  const draft: TemplateDraft = {
    ...NEW_DRAFT,
    id: t.id,
    name: t.name,
    certificateAuthority: t.certificateAuthority,
    rsa: rsa?.keyType === 'RSA' ? [...rsa.keyLengths] : [],
    ec: ec?.keyType === 'EC' ? [...ec.keyCurves] : [],
    validityPeriod: t.validityPeriod,
    defaultValidityPeriod: t.defaultValidityPeriod ?? '',
    subjectCNRegexes: lines(t.subjectCNRegexes),
    sanRegexes: lines(t.sanRegexes),
    extendedKeyUsageValues: [...t.extendedKeyUsageValues],
    keyGeneratedByVenafiAllowed: t.keyGeneratedByVenafiAllowed,
    csrUploadAllowed: t.csrUploadAllowed,
    original: t,
  };
  const ca = t.caSettings;
  if (ca.type === 'ACME') {
    Object.assign(draft, {
      directoryUrl: ca.directoryUrl,
      contactEmail: ca.contactEmail ?? '',
      termsOfServiceAgreed: ca.termsOfServiceAgreed,
      eabKeyId: ca.eabKeyId ?? '',
      eabHmacKeyStored: !!ca.eabHmacKeySecretId,
      challengeType: ca.challenge.type,
      acmeProfile: ca.profile ?? '',
    });
    if (ca.challenge.type === 'http-01') {
      Object.assign(draft, { httpMode: ca.challenge.mode, listenAddress: ca.challenge.listenAddress, port: String(ca.challenge.port), webroot: ca.challenge.webroot ?? '' });
    } else {
      draft.hookCommand = ca.challenge.hookCommand;
    }
  }
  if (ca.type === 'CLOUD') {
    Object.assign(draft, {
      baseUrl: ca.baseUrl,
      remoteApplicationId: ca.remoteApplicationId,
      remoteCertificateIssuingTemplateId: ca.remoteCertificateIssuingTemplateId,
      apiKeyStored: !!ca.apiKeySecretId,
    });
  }
  return draft;
}

const optional = (s: string) => (s.trim() ? s.trim() : undefined);

function caSettingsOf(d: TemplateDraft): CaSettings {
  const before = d.original?.caSettings;
  switch (d.certificateAuthority) {
    case 'BUILTIN':
      return { type: 'BUILTIN' };
    case 'MANUAL':
      return { type: 'MANUAL' };
    case 'ACME': {
      const kept = before?.type === 'ACME' ? before : undefined;
      const challenge =
        d.challengeType === 'dns-01'
          ? { type: 'dns-01' as const, hookCommand: d.hookCommand.trim(), propagationSeconds: kept?.challenge.type === 'dns-01' ? kept.challenge.propagationSeconds : 0 }
          : {
              type: 'http-01' as const,
              mode: d.httpMode,
              listenAddress: d.listenAddress.trim() || '0.0.0.0',
              // NaN for anything but digits: the shared schema then names the field.
              port: /^\d+$/.test(d.port.trim()) ? Number(d.port.trim()) : Number.NaN,
              ...(d.httpMode === 'webroot' ? { webroot: d.webroot.trim() } : {}),
            };
      return {
        type: 'ACME',
        directoryUrl: d.directoryUrl.trim(),
        ...(optional(d.contactEmail) ? { contactEmail: optional(d.contactEmail) } : {}),
        termsOfServiceAgreed: d.termsOfServiceAgreed,
        ...(optional(d.eabKeyId) ? { eabKeyId: optional(d.eabKeyId) } : {}),
        // The stored secret stays unless the key id goes (no EAB any more).
        ...(kept?.eabHmacKeySecretId && optional(d.eabKeyId) ? { eabHmacKeySecretId: kept.eabHmacKeySecretId } : {}),
        challenge,
        ...(kept?.tlsCaCertificatePem ? { tlsCaCertificatePem: kept.tlsCaCertificatePem } : {}),
        ...(kept?.orderTimeoutSeconds ? { orderTimeoutSeconds: kept.orderTimeoutSeconds } : {}),
        ...(optional(d.acmeProfile) ? { profile: optional(d.acmeProfile) } : {}),
      };
    }
    case 'CLOUD': {
      const kept = before?.type === 'CLOUD' ? before : undefined;
      return {
        type: 'CLOUD',
        baseUrl: d.baseUrl.trim(),
        ...(kept?.apiKeySecretId ? { apiKeySecretId: kept.apiKeySecretId } : {}),
        remoteApplicationId: d.remoteApplicationId.trim(),
        remoteCertificateIssuingTemplateId: d.remoteCertificateIssuingTemplateId.trim(),
        pollIntervalMs: kept?.pollIntervalMs ?? 2000,
        timeoutMs: kept?.timeoutMs ?? 300_000,
      };
    }
  }
}

export type TemplateSaveInput = RpcInput<'saveIssuingTemplate'>;

/** What saveIssuingTemplate gets: the draft's fields over the original's, secrets only when typed. */
export function toSaveInput(d: TemplateDraft): TemplateSaveInput {
  const keyTypes: TemplateKeyType[] = [...(d.rsa.length ? [{ keyType: 'RSA' as const, keyLengths: d.rsa }] : []), ...(d.ec.length ? [{ keyType: 'EC' as const, keyCurves: d.ec }] : [])];
  const { id: _id, creationDate: _c, modificationDate: _m, defaultValidityPeriod: _dv, ...kept } = d.original ?? ({} as Partial<IssuingTemplate>);
  const connectorSecrets = {
    ...(d.certificateAuthority === 'ACME' && d.eabHmacKey ? { eabHmacKey: d.eabHmacKey } : {}),
    ...(d.certificateAuthority === 'CLOUD' && d.apiKey ? { apiKey: d.apiKey } : {}),
  };
  return {
    ...kept,
    ...(d.id ? { id: d.id } : {}),
    name: d.name,
    certificateAuthority: d.certificateAuthority,
    caSettings: caSettingsOf(d),
    keyTypes,
    validityPeriod: d.validityPeriod.trim(),
    ...(optional(d.defaultValidityPeriod) ? { defaultValidityPeriod: optional(d.defaultValidityPeriod) } : {}),
    subjectCNRegexes: fromLines(d.subjectCNRegexes),
    sanRegexes: fromLines(d.sanRegexes),
    extendedKeyUsageValues: d.extendedKeyUsageValues,
    keyGeneratedByVenafiAllowed: d.keyGeneratedByVenafiAllowed,
    csrUploadAllowed: d.csrUploadAllowed,
    ...(Object.keys(connectorSecrets).length ? { connectorSecrets } : {}),
  } as TemplateSaveInput;
}

/**
 * Every problem with the draft, each naming the saveIssuingTemplate field it is about: the
 * shared schema's own messages, and the rules the satellite adds (secrets, EAB pairs, default
 * within maximum, at least one way to make a key).
 */
export function validateDraft(d: TemplateDraft): FieldError[] {
  const input = toSaveInput(d);
  const parsed = rpcInputSchemas.saveIssuingTemplate.safeParse(input);
  const errors = parsed.success ? [] : fieldErrorsFrom(parsed.error);
  const add = (field: string, message: string) => {
    if (!errors.some((e) => e.field === field)) errors.push({ field, message });
  };
  // Said better than zod's "expected number, received NaN".
  const replace = (field: string, message: string) => {
    errors.splice(0, errors.length, ...errors.filter((e) => e.field !== field));
    errors.push({ field, message });
  };
  const ca = input.caSettings;
  if (ca.type === 'ACME') {
    if (ca.challenge.type === 'http-01' && !((ca.challenge.port ?? 80) >= 1 && (ca.challenge.port ?? 80) <= 65535)) replace('caSettings.challenge.port', 'port must be a whole number from 1 to 65535');
    if (ca.challenge.type === 'http-01' && ca.challenge.mode === 'webroot' && !ca.challenge.webroot) add('caSettings.challenge.webroot', 'webroot is required: the directory your web server serves, which gets .well-known/acme-challenge');
    if (d.eabHmacKey && !optional(d.eabKeyId)) add('caSettings.eabKeyId', 'the EAB key id is required with an EAB HMAC key: the CA gives both');
    if (optional(d.eabKeyId) && !d.eabHmacKey && !ca.eabHmacKeySecretId) add('connectorSecrets.eabHmacKey', 'the EAB HMAC key is required with an EAB key id: the CA gives both');
  }
  if (ca.type === 'CLOUD') {
    // Said better than zod's "Invalid UUID".
    const ids = [
      ['caSettings.remoteApplicationId', 'remote application id', ca.remoteApplicationId],
      ['caSettings.remoteCertificateIssuingTemplateId', 'remote issuing template id', ca.remoteCertificateIssuingTemplateId],
    ] as const;
    for (const [field, name, value] of ids) {
      if (!errors.some((e) => e.field === field)) continue;
      replace(field, value ? `${name} "${value}" is not a UUID: copy it from the cloud service, e.g. 3fa85f64-5717-4562-b3fc-2c963f66afa6` : `${name} is required: copy it from the cloud service`);
    }
  }
  if (ca.type === 'CLOUD' && !d.apiKey && !ca.apiKeySecretId) add('connectorSecrets.apiKey', 'the API key is required: the one from the cloud service (Preferences > API keys)');
  for (const rule of templateRuleErrors(input)) add(rule.field, rule.message);
  return errors;
}

/** "90 days", "1 year": an ISO 8601 duration for people, or undefined when it is not one. */
export function describeDuration(iso: string): string | undefined {
  let seconds: number;
  try {
    seconds = durationSeconds(iso.trim());
  } catch {
    return undefined;
  }
  const days = seconds / 86_400;
  if (Number.isInteger(days)) return `${days} day${days === 1 ? '' : 's'}`;
  const hours = seconds / 3600;
  return Number.isInteger(hours) ? `${hours} hour${hours === 1 ? '' : 's'}` : `${seconds} seconds`;
}
