import { z } from 'zod';
import { csrAttributesSchema, type CsrAttributes } from './csr-attributes';
import { isoDurationSchema } from './durations';
import { uuidSchema } from './settings';
import type { RequestStatus } from './statuses';

/** The body of POST /outagedetection/v1/certificaterequests, as the cloud's clients send it. */
const REQUEST_FIELDS = [
  'applicationId',
  'certificateIssuingTemplateId',
  'applicationServerTypeId',
  'validityPeriod',
  'isVaaSGenerated',
  'csrAttributes',
  'certificateSigningRequest',
  'existingCertificateId',
  'reuseCSR',
  'apiClientInformation',
  'tags',
  'certificateUsageMetadata',
  'certificateOwnerUserId',
] as const;

/**
 * Unknown fields are refused, not dropped: a misspelt `validityPeriode` would otherwise give the
 * template's default validity without a word.
 */
export const certificateRequestBodySchema = z
  .strictObject(
    {
    applicationId: uuidSchema,
    certificateIssuingTemplateId: uuidSchema,
    applicationServerTypeId: uuidSchema.optional(),
    validityPeriod: isoDurationSchema.optional(),
    isVaaSGenerated: z.boolean().optional(),
    csrAttributes: csrAttributesSchema.optional(),
    certificateSigningRequest: z.string().optional(),
    existingCertificateId: uuidSchema.optional(),
    reuseCSR: z.boolean().optional(),
    apiClientInformation: z.object({ type: z.string(), identifier: z.string() }).partial().optional(),
    tags: z.array(z.string()).optional(),
    // Sent by VCert (Go): where the certificate is used (appName, nodeName, automationMetadata) and
    // who owns it. Kept with the request and answered back, as the cloud does.
    certificateUsageMetadata: z
      .array(z.record(z.string().max(100), z.unknown()))
      .max(100)
      .refine((list) => JSON.stringify(list).length <= 16_384, 'certificateUsageMetadata is larger than 16 KiB')
      .optional(),
    certificateOwnerUserId: uuidSchema.optional(),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}: certificaterequests takes ${REQUEST_FIELDS.join(', ')}`
          : 'the request body must be a JSON object',
    },
  )
  .superRefine((body, ctx) => {
    const renewal = body.existingCertificateId !== undefined;
    if (body.certificateSigningRequest !== undefined && body.isVaaSGenerated) {
      ctx.addIssue({ code: 'custom', path: ['certificateSigningRequest'], message: 'send either certificateSigningRequest or isVaaSGenerated with csrAttributes, not both' });
    }
    if (body.isVaaSGenerated && !body.csrAttributes && !renewal) {
      ctx.addIssue({ code: 'custom', path: ['csrAttributes'], message: 'csrAttributes is required when isVaaSGenerated is true' });
    }
    if (!body.isVaaSGenerated && body.certificateSigningRequest === undefined && !renewal) {
      ctx.addIssue({ code: 'custom', path: ['certificateSigningRequest'], message: 'send certificateSigningRequest (a PEM CSR), or isVaaSGenerated: true with csrAttributes' });
    }
  });
export type CertificateRequestBody = z.input<typeof certificateRequestBodySchema>;
export type CertificateRequestBodyParsed = z.output<typeof certificateRequestBodySchema>;

/** The cloud's errorInformation on a failed or rejected request. */
export interface ErrorInformation {
  type: 'POLICY' | 'VALIDATION' | 'CA' | 'INTERNAL';
  code: number;
  message: string;
  args?: unknown;
}

export interface StatusChange {
  status: RequestStatus;
  at: string;
  message?: string;
}

/** Who made the key: this satellite (ASK), the caller (CSR upload), or it came in with an imported certificate. */
export type KeyGeneration = 'SATELLITE' | 'CSR_UPLOAD' | 'IMPORTED';

/** What the satellite keeps for every request (the store's record). */
export interface CertificateRequestRecord {
  id: string;
  applicationId: string;
  certificateIssuingTemplateId: string;
  applicationServerTypeId?: string;
  validityPeriod: string;
  keyGeneration: KeyGeneration;
  csrAttributes?: CsrAttributes;
  status: RequestStatus;
  errorInformation?: ErrorInformation;
  /**
   * FAILED with an error the CA may get over (unreachable, timed out, 5xx, rate limited): when the
   * satellite tries again by itself; null once it has stopped trying (retry it by hand).
   */
  nextAutoRetryAt?: string | null;
  certificateSigningRequest?: string;
  /** certificateIds[0] is the issued certificate; chain certificates follow. */
  certificateIds: string[];
  subjectDN?: string;
  keyType?: 'RSA' | 'EC';
  keyLength?: number;
  keyCurve?: string;
  /** Set when the satellite made the key; the key blob is sealed under this DEK. */
  dekHash?: string;
  existingCertificateId?: string;
  /** The CA's handle for a PENDING request, so polling resumes after a restart. */
  caPollToken?: string;
  tags: string[];
  /** VCert's certificateUsageMetadata, kept as sent. */
  certificateUsageMetadata?: Record<string, unknown>[];
  /** The owner the client named (the satellite's one user); absent when none was named. */
  certificateOwnerUserId?: string;
  creationDate: string;
  modificationDate: string;
  statusHistory: StatusChange[];
}

/** The SAN block of responses, with the cloud's names. */
export interface ResponseSubjectAlternativeNames {
  otherName: string[];
  rfc822Name: string[];
  dNSName: string[];
  x400Address: string[];
  directoryName: string[];
  ediPartyName: string[];
  uniformResourceIdentifier: string[];
  iPAddress: string[];
  registeredID: string[];
}

/** One element of `{certificateRequests: [...]}` in the cloud's response. */
export interface CertificateRequestResponse {
  id: string;
  companyId: string;
  applicationId: string;
  creationDate: string;
  modificationDate: string;
  status: RequestStatus;
  certificateOwnerUserId: string;
  certificateIssuingTemplateId: string;
  certificateIds: string[];
  certificateSigningRequest?: string;
  subjectDN?: string;
  keyLength?: number;
  keyType?: string;
  keyCurve?: string;
  subjectAlternativeNamesByType: ResponseSubjectAlternativeNames;
  validityPeriod: string;
  errorInformation?: ErrorInformation;
  existingCertificateId?: string;
  certificateUsageMetadata?: Record<string, unknown>[];
}
