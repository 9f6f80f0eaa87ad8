import { z } from 'zod';
import { keyTypeParametersSchema } from './key-types';

// NOTE: shape only. The validation rules (ISO 3166 country, DNS/IDN, IPs, RFC 822,
// absolute URIs, CN length, control characters, CN-into-SANs) are refined by the
// keys/CSR work in issue 2; every front end uses this one schema.

export const subjectAlternativeNamesByTypeSchema = z.object({
  dnsNames: z.array(z.string()).default([]),
  ipAddresses: z.array(z.string()).default([]),
  rfc822Names: z.array(z.string()).default([]),
  uniformResourceIdentifiers: z.array(z.string()).default([]),
});

export const csrAttributesSchema = z.object({
  commonName: z.string().min(1, 'commonName is required'),
  organization: z.string().optional(),
  organizationalUnits: z.array(z.string()).default([]),
  locality: z.string().optional(),
  state: z.string().optional(),
  country: z.string().optional(),
  subjectAlternativeNamesByType: subjectAlternativeNamesByTypeSchema.default({
    dnsNames: [],
    ipAddresses: [],
    rfc822Names: [],
    uniformResourceIdentifiers: [],
  }),
  keyTypeParameters: keyTypeParametersSchema.default({ keyType: 'RSA', keyLength: 2048 }),
});

/** What a caller may send (defaults not yet applied). */
export type CsrAttributesInput = z.input<typeof csrAttributesSchema>;
/** What the satellite works with after validation and normalisation. */
export type CsrAttributes = z.output<typeof csrAttributesSchema>;
export type SubjectAlternativeNamesByType = z.output<typeof subjectAlternativeNamesByTypeSchema>;
