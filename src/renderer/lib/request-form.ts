import { inUserWords } from './user-words';
import {
  certificateRequestBodySchema,
  durationSeconds,
  type CertificateRequestBody,
  type EcCurve,
  type FieldError,
  type IssuingTemplate,
  type RsaKeyLength,
} from '../../shared';

export type KeyGenerationChoice = 'SATELLITE' | 'CSR_UPLOAD';
export interface ListEntry {
  value: string;
}

export const SAN_KINDS = ['dnsNames', 'ipAddresses', 'rfc822Names', 'uniformResourceIdentifiers'] as const;
export type SanKind = (typeof SAN_KINDS)[number];

/** The New request form: flat, one input per field, lists as objects (what useFieldArray needs). */
export interface RequestFormValues {
  applicationId: string;
  certificateIssuingTemplateId: string;
  applicationServerTypeId: string;
  /** Whole days; '' means the template's default. */
  validityDays: number | '';
  keyGeneration: KeyGenerationChoice;
  commonName: string;
  organization: string;
  organizationalUnits: ListEntry[];
  locality: string;
  state: string;
  country: string;
  dnsNames: ListEntry[];
  ipAddresses: ListEntry[];
  rfc822Names: ListEntry[];
  uniformResourceIdentifiers: ListEntry[];
  keyType: 'RSA' | 'EC';
  keyLength: RsaKeyLength;
  keyCurve: EcCurve;
  certificateSigningRequest: string;
}

export const EMPTY_REQUEST_FORM: RequestFormValues = {
  applicationId: '',
  certificateIssuingTemplateId: '',
  applicationServerTypeId: '',
  validityDays: '',
  keyGeneration: 'SATELLITE',
  commonName: '',
  organization: '',
  organizationalUnits: [],
  locality: '',
  state: '',
  country: '',
  dnsNames: [],
  ipAddresses: [],
  rfc822Names: [],
  uniformResourceIdentifiers: [],
  keyType: 'RSA',
  keyLength: 2048,
  keyCurve: 'P256',
  certificateSigningRequest: '',
};

export type RequestFormField = keyof RequestFormValues | `${'organizationalUnits' | SanKind}.${number}.value`;

export interface BuiltRequest {
  body: CertificateRequestBody;
  /** Where a problem the schema or the server reports about `body` belongs in the form; null when no field fits. */
  formFieldOf(bodyPath: string): RequestFormField | null;
}

const opt = (s: string): string | undefined => (s.trim() === '' ? undefined : s.trim());

/** Keeps non-blank entries, and remembers which form row each kept entry came from. */
function compact(list: ListEntry[]): { values: string[]; formIndex: number[] } {
  const values: string[] = [];
  const formIndex: number[] = [];
  list.forEach((e, i) => {
    if (e.value.trim() !== '') {
      values.push(e.value.trim());
      formIndex.push(i);
    }
  });
  return { values, formIndex };
}

/** The form as the body of requestCertificate (the cloud's certificaterequests body). */
export function buildRequest(v: RequestFormValues): BuiltRequest {
  const ous = compact(v.organizationalUnits);
  const sans = Object.fromEntries(SAN_KINDS.map((k) => [k, compact(v[k])])) as Record<SanKind, ReturnType<typeof compact>>;
  const common = {
    applicationId: v.applicationId,
    certificateIssuingTemplateId: v.certificateIssuingTemplateId,
    ...(v.applicationServerTypeId ? { applicationServerTypeId: v.applicationServerTypeId } : {}),
    ...(v.validityDays === '' ? {} : { validityPeriod: `P${v.validityDays}D` }),
  };
  const body: CertificateRequestBody =
    v.keyGeneration === 'SATELLITE'
      ? {
          ...common,
          isVaaSGenerated: true,
          csrAttributes: {
            commonName: v.commonName.trim(),
            organization: opt(v.organization),
            organizationalUnits: ous.values,
            locality: opt(v.locality),
            state: opt(v.state),
            country: opt(v.country),
            subjectAlternativeNamesByType: {
              dnsNames: sans.dnsNames.values,
              ipAddresses: sans.ipAddresses.values,
              rfc822Names: sans.rfc822Names.values,
              uniformResourceIdentifiers: sans.uniformResourceIdentifiers.values,
            },
            keyTypeParameters: v.keyType === 'RSA' ? { keyType: 'RSA', keyLength: v.keyLength } : { keyType: 'EC', keyCurve: v.keyCurve },
          },
        }
      : { ...common, certificateSigningRequest: v.certificateSigningRequest.trim() };

  const formFieldOf = (bodyPath: string): RequestFormField | null => {
    const parts = bodyPath.split('.');
    if (parts[0] !== 'csrAttributes') {
      if (parts[0] === 'validityPeriod') return 'validityDays';
      const top = parts[0] as keyof RequestFormValues;
      return top in EMPTY_REQUEST_FORM ? top : null;
    }
    const [, field, a, b] = parts;
    if (field === undefined) return 'commonName';
    if (field === 'organizationalUnits') {
      const i = a === undefined ? undefined : ous.formIndex[Number(a)];
      return i === undefined ? 'organizationalUnits' : `organizationalUnits.${i}.value`;
    }
    if (field === 'subjectAlternativeNamesByType') {
      const kind = a as SanKind | undefined;
      if (!kind || !SAN_KINDS.includes(kind)) return 'dnsNames';
      const i = b === undefined ? undefined : sans[kind].formIndex[Number(b)];
      return i === undefined ? kind : `${kind}.${i}.value`;
    }
    if (field === 'keyTypeParameters') return a === 'keyCurve' ? 'keyCurve' : a === 'keyLength' ? 'keyLength' : 'keyType';
    return field in EMPTY_REQUEST_FORM ? (field as keyof RequestFormValues) : null;
  };
  return { body, formFieldOf };
}

/** The template's maximum and default validity in whole days. */
export function templateValidityDays(t: IssuingTemplate): { maxDays: number; defaultDays: number } {
  const maxDays = Math.floor(durationSeconds(t.validityPeriod) / 86_400);
  const defaultDays = t.defaultValidityPeriod ? Math.floor(durationSeconds(t.defaultValidityPeriod) / 86_400) : maxDays;
  return { maxDays, defaultDays: Math.min(defaultDays, maxDays) };
}

export interface RequestValidation {
  body: CertificateRequestBody | null;
  /** Keyed by form field; `null` field means a problem that belongs above the form. */
  errors: { field: RequestFormField | null; message: string }[];
}

/**
 * Validates with the shared schema (the same one the satellite applies) and the
 * template's limits, and says where each message goes in the form.
 */
export function validateRequestForm(v: RequestFormValues, template: IssuingTemplate | undefined): RequestValidation {
  const built = buildRequest(v);
  const errors: RequestValidation['errors'] = [];
  if (!v.applicationId) errors.push({ field: 'applicationId', message: 'Choose an application' });
  if (!v.certificateIssuingTemplateId) errors.push({ field: 'certificateIssuingTemplateId', message: 'Choose a template' });
  if (v.keyGeneration === 'CSR_UPLOAD' && v.certificateSigningRequest.trim() === '') {
    errors.push({ field: 'certificateSigningRequest', message: 'Paste a PEM CSR or choose a .csr file' });
  }
  if (template && v.validityDays !== '') {
    const { maxDays } = templateValidityDays(template);
    if (!Number.isInteger(v.validityDays) || v.validityDays < 1) errors.push({ field: 'validityDays', message: 'Validity must be a whole number of days, at least 1' });
    else if (v.validityDays > maxDays) errors.push({ field: 'validityDays', message: `Validity is at most ${maxDays} days under template "${template.name}"` });
  }
  const parsed = certificateRequestBodySchema.safeParse(built.body);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String).join('.');
      const field = built.formFieldOf(path);
      // Empty ids already have a friendlier message above.
      if ((field === 'applicationId' || field === 'certificateIssuingTemplateId') && errors.some((e) => e.field === field)) continue;
      if (field === 'certificateSigningRequest' && errors.some((e) => e.field === field)) continue;
      errors.push({ field, message: inUserWords(issue.message) });
    }
  }
  return { body: errors.length === 0 ? built.body : null, errors };
}

/** Server-reported field errors, placed on the form's fields. */
export function placeServerErrors(v: RequestFormValues, fieldErrors: FieldError[]): RequestValidation['errors'] {
  const built = buildRequest(v);
  return fieldErrors.map((e) => ({ field: built.formFieldOf(e.field.replace(/^body\./, '')), message: inUserWords(e.message) }));
}
