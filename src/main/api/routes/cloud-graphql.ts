import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ApiContext } from '../api-context';
import { caAccount } from '../cloud-directory';
import { toCertificateResponse } from '../cloud-shapes';
import { CERTIFICATE_AUTHORITIES } from '../../../shared/settings';
import { CaError } from '../../core/ca/connector';
import { SatelliteError } from '../../core/common/errors';
import { REVOCATION_REASONS as REVOCATION_REASON_TABLE, type RevocationReason } from '../../../shared/labels';

// The cloud revokes through GraphQL (its CA-operations schema); the satellite is no GraphQL
// server, it answers the two operations the cloud's clients send (vcert-python and VCert:
// RevokeCertificateRequest and ListCAAccounts), with GraphQL's own answer shape.

/** The cloud's GraphQL reason names (KEY_COMPROMISE), to the satellite's (keyCompromise). */
const REVOCATION_REASONS = Object.fromEntries(Object.entries(REVOCATION_REASON_TABLE).map(([name, r]) => [r.graphql, name])) as Record<(typeof REVOCATION_REASON_TABLE)[RevocationReason]['graphql'], RevocationReason>;

const graphqlBodySchema = z.object({
  operationName: z.string().max(100).optional(),
  query: z.string().max(20_000),
  variables: z.record(z.string(), z.unknown()).nullish(),
});

const revokeVariablesSchema = z.object({
  fingerprint: z.string().regex(/^[0-9A-Fa-f]{40}$/, 'fingerprint must be the certificate\'s SHA-1 thumbprint, 40 hex digits'),
  revocationReason: z.enum(Object.keys(REVOCATION_REASONS) as [keyof typeof REVOCATION_REASONS], { error: `revocationReason must be one of ${Object.keys(REVOCATION_REASONS).join(', ')}` }),
  certificateAuthorityAccountId: z.string().nullish(),
  revocationComment: z.string().max(1000).nullish(),
});

/** A GraphQL error answer: HTTP 200 with `errors`, as GraphQL servers answer a query they cannot run. */
const graphqlError = (message: string, code: string) => ({ data: null, errors: [{ message, extensions: { code } }] });

/** The operation a document runs: its operationName, else the name after `mutation`/`query`. */
function operationOf(body: z.output<typeof graphqlBodySchema>): string | undefined {
  return body.operationName ?? /\b(?:query|mutation)\s+([A-Za-z_]\w*)/.exec(body.query)?.[1];
}

export function cloudGraphqlRoutes(ctx: ApiContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.post('/graphql', async (request) => {
      const parsed = graphqlBodySchema.safeParse(request.body);
      if (!parsed.success) return graphqlError('send {"query", "variables", "operationName"} as JSON', 'BAD_USER_INPUT');
      const operation = operationOf(parsed.data);
      if (operation === 'ListCAAccounts') {
        const identity = await ctx.identity();
        const nodes = CERTIFICATE_AUTHORITIES.map((ca) => {
          const { account } = caAccount(identity, ca);
          return { id: account.id, name: account.key, certificateAuthorityType: ca };
        });
        return { data: { certificateAuthorityAccounts: { nodes } } };
      }
      if (operation !== 'RevokeCertificateRequest') {
        return graphqlError(`operation ${JSON.stringify(operation ?? '')} is not served here; this satellite answers RevokeCertificateRequest and ListCAAccounts`, 'OPERATION_NOT_SUPPORTED');
      }
      const variables = revokeVariablesSchema.safeParse(parsed.data.variables ?? {});
      if (!variables.success) return graphqlError(variables.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), 'BAD_USER_INPUT');
      const fingerprint = variables.data.fingerprint.toUpperCase();
      const found = await ctx.service.call('searchCertificates', {
        expression: { field: 'fingerprint', operator: 'EQ', value: fingerprint },
        paging: { pageNumber: 0, pageSize: 1 },
      });
      const certificate = found.certificates[0];
      if (!certificate) return graphqlError(`fingerprint: no certificate in this satellite has the SHA-1 thumbprint ${fingerprint}`, 'NOT_FOUND');
      let status = 'SUBMITTED';
      let error: { code: string; message: string; arguments: string[] } | null = null;
      try {
        await ctx.service.call('revokeCertificate', { id: certificate.id, reason: REVOCATION_REASONS[variables.data.revocationReason] });
      } catch (e) {
        // Only refusals raised on purpose are told; anything else is a 500 whose text stays in the log.
        if (!(e instanceof SatelliteError) && !(e instanceof CaError)) throw e;
        status = 'FAILED';
        error = { code: 'REVOCATION_FAILED', message: e.message, arguments: [certificate.id] };
      }
      const record = toCertificateResponse((await ctx.service.call('getCertificate', { id: certificate.id })).certificate);
      return {
        data: {
          revokeCertificate: { id: record.id, fingerprint: record.fingerprint, serialNumber: record.serialNumber, revocation: { status, error, approvalDetails: null } },
        },
      };
    });
  };
}
