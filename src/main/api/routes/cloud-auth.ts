import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ERROR_CODES } from '../../../shared/error-codes';
import type { ApiContext } from '../api-context';
import { apiError } from '../cloud-error';

export const API_KEY_HEADER = 'tppl-api-key';

/**
 * What failures are counted against: the wrong credential itself (a hash of it), never the
 * client's address, which every local program shares (127.0.0.1). So a page that sends wrong
 * keys or tokens slows only those; the right key is checked first and always accepted.
 */
export function credentialId(kind: string, presented: string): string {
  return `${kind}:${createHash('sha256').update(presented).digest('base64url')}`;
}

/** Records a wrong credential; 429 with Retry-After once that credential is over its limit. */
export function recordWrongCredential(ctx: ApiContext, id: string): void {
  const wait = ctx.limiter.retryAfterSeconds(id);
  if (wait === 0) ctx.limiter.recordFailure(id);
  const now = ctx.limiter.retryAfterSeconds(id);
  if (now > 0) {
    throw apiError(429, ERROR_CODES.TOO_MANY_REQUESTS, `this wrong credential was sent too often; wait ${now} s, then retry with the right one`, { retryAfterSeconds: now }, {
      'retry-after': String(now),
    });
  }
}

/**
 * The API key a request presents: `tppl-api-key`, or `Authorization: Bearer KEY` as VCert sends
 * when it is given a token. Both go through the same constant-time check and limits.
 */
export function presentedKey(request: FastifyRequest): string | undefined {
  const key = request.headers[API_KEY_HEADER];
  if (typeof key === 'string' && key !== '') return key;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
  return bearer || undefined;
}

/** onRequest hook of the cloud endpoints: the API key, checked in constant time by the service. */
export function apiKeyHook(ctx: ApiContext) {
  return async (request: FastifyRequest): Promise<void> => {
    const key = presentedKey(request);
    if (key === undefined) {
      throw apiError(401, ERROR_CODES.MISSING_API_KEY, `${API_KEY_HEADER} header is missing; send the satellite's API key in it (or as Authorization: Bearer KEY); start the satellite with --api-key-file FILE or SATELLITE_API_KEY to know it`, {
        field: API_KEY_HEADER,
      });
    }
    if (!(await ctx.service.verifyApiKey(key))) {
      recordWrongCredential(ctx, credentialId('api-key', key));
      throw apiError(401, ERROR_CODES.UNAUTHORIZED, `${API_KEY_HEADER} is not this satellite's API key; use the key from --api-key-file or Settings > API`, {
        field: API_KEY_HEADER,
      });
    }
  };
}
