import { z } from 'zod';
import { REQUEST_STATUSES } from '../../shared/statuses';

// Answer shapes for the OpenAPI document. The TypeScript types in src/shared stay the source
// of truth for the code; these describe the same JSON for readers and for contract tests.

const cloudDate = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/).describe('UTC, e.g. 2021-11-16T23:45:13.285+0000');
const names = z.array(z.string());

export const responseSansSchema = z.object({
  otherName: names,
  rfc822Name: names,
  dNSName: names,
  x400Address: names,
  directoryName: names,
  ediPartyName: names,
  uniformResourceIdentifier: names,
  iPAddress: names,
  registeredID: names,
});

export const errorInformationSchema = z.object({
  type: z.enum(['POLICY', 'VALIDATION', 'CA', 'INTERNAL']),
  code: z.number().int(),
  message: z.string(),
  args: z.unknown().optional(),
});

/** Every field of the seed's example response, plus the optional ones the satellite adds. */
export const certificateRequestResponseSchema = z.object({
  id: z.uuid(),
  companyId: z.uuid(),
  applicationId: z.uuid(),
  creationDate: cloudDate,
  modificationDate: cloudDate,
  status: z.enum(REQUEST_STATUSES),
  certificateOwnerUserId: z.uuid(),
  certificateIssuingTemplateId: z.uuid(),
  certificateIds: z.array(z.uuid()),
  certificateSigningRequest: z.string().optional(),
  subjectDN: z.string().optional(),
  keyLength: z.number().int().optional(),
  keyType: z.string().optional(),
  keyCurve: z.string().optional(),
  subjectAlternativeNamesByType: responseSansSchema,
  validityPeriod: z.string(),
  errorInformation: errorInformationSchema.optional(),
  existingCertificateId: z.uuid().optional(),
  certificateUsageMetadata: z.array(z.record(z.string(), z.unknown())).optional(),
});

export const certificateRequestsResponseSchema = z.object({ certificateRequests: z.array(certificateRequestResponseSchema) });

export const cloudErrorSchema = z.object({
  errors: z.array(z.object({ code: z.number().int(), message: z.string(), args: z.unknown().optional() })).min(1),
});

export const edgeEncryptionKeySchema = z.object({
  id: z.string(),
  key: z.string().describe('base64 of the 32-byte X25519 public key'),
  keyAlgorithm: z.literal('X25519'),
  lastBackupDate: z.string().optional(),
});
