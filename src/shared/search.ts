import { z } from 'zod';

// The cloud's certificatesearch body.
export const SEARCH_FIELDS = [
  'id',
  'subjectCN',
  'subjectAlternativeNameDns',
  'subjectAlternativeNameIp',
  'fingerprint',
  'sha256Fingerprint',
  'serialNumber',
  'certificateStatus',
  'revocationStatus',
  'requestStatus',
  'appstackIds',
  'certificateIssuingTemplateId',
  'validityEnd',
  'validityStart',
  'keyType',
  'issuerDN',
  'dekHash',
] as const;
export type SearchField = (typeof SEARCH_FIELDS)[number];
export const SEARCH_OPERATORS = ['EQ', 'FIND', 'GT', 'GTE', 'IN', 'LT', 'LTE', 'MATCH'] as const;

export const searchConditionSchema = z.object({
  field: z.enum(SEARCH_FIELDS, { error: `field must be one of ${SEARCH_FIELDS.join(', ')}` }),
  operator: z.enum(SEARCH_OPERATORS, { error: `operator must be one of ${SEARCH_OPERATORS.join(', ')}` }),
  value: z.union([z.string(), z.number(), z.boolean()]).optional(),
  values: z.array(z.union([z.string(), z.number()])).optional(),
});
export type SearchCondition = z.output<typeof searchConditionSchema>;

export type SearchExpression = SearchCondition | { operator: 'AND' | 'OR'; operands: SearchExpression[] };

export const searchExpressionSchema: z.ZodType<SearchExpression> = z.lazy(() =>
  z.union([
    searchConditionSchema,
    // The operator may be left out: the cloud's clients send {operands: [...]} alone, read as AND.
    z.object({ operator: z.enum(['AND', 'OR']).default('AND'), operands: z.array(searchExpressionSchema).max(50) }),
  ]),
);

export const certificateSearchSchema = z.object({
  expression: searchExpressionSchema.optional(),
  ordering: z
    .object({
      orders: z
        .array(z.object({ field: z.enum(SEARCH_FIELDS), direction: z.enum(['ASC', 'DESC']).default('ASC') }))
        .max(5),
    })
    .optional(),
  paging: z
    .object({ pageNumber: z.number().int().min(0).default(0), pageSize: z.number().int().min(1).max(1000).default(50) })
    .default({ pageNumber: 0, pageSize: 50 }),
});
export type CertificateSearch = z.input<typeof certificateSearchSchema>;
export type CertificateSearchParsed = z.output<typeof certificateSearchSchema>;
