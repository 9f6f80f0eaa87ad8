import type { FastifyRequest } from 'fastify';
import { ERROR_CODES } from '../../../shared/error-codes';
import type { ApiContext } from '../api-context';
import { apiError } from '../cloud-error';

export const API_KEY_HEADER = 'tppl-api-key';

/** 429 with Retry-After while this client address is over its failed-authentication limit. */
export function refuseIfThrottled(ctx: ApiContext, request: FastifyRequest): void {
  const wait = ctx.limiter.retryAfterSeconds(request.ip);
  if (wait > 0) {
    throw apiError(429, ERROR_CODES.TOO_MANY_REQUESTS, `too many failed sign-in attempts from this address; wait ${wait} s, then retry with the right credentials`, { retryAfterSeconds: wait }, {
      'retry-after': String(wait),
    });
  }
}

/**
 * The API key a request presents: `tppl-api-key`, or `Authorization: Bearer KEY` as VCert sends
 * when it is given a token. Both go through the same constant-time check and limits.
 */
function presentedKey(request: FastifyRequest): string | undefined {
  const key = request.headers[API_KEY_HEADER];
  if (typeof key === 'string' && key !== '') return key;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
  return bearer || undefined;
}

/** onRequest hook of the cloud endpoints: the API key, checked in constant time by the service. */
export function apiKeyHook(ctx: ApiContext) {
  return async (request: FastifyRequest): Promise<void> => {
    refuseIfThrottled(ctx, request);
    const key = presentedKey(request);
    if (key === undefined) {
      throw apiError(401, ERROR_CODES.MISSING_API_KEY, `${API_KEY_HEADER} header is missing; send the satellite's API key in it (or as Authorization: Bearer KEY); start the satellite with --api-key-file FILE or SATELLITE_API_KEY to know it`, {
        field: API_KEY_HEADER,
      });
    }
    if (!(await ctx.service.verifyApiKey(key))) {
      ctx.limiter.recordFailure(request.ip);
      throw apiError(401, ERROR_CODES.UNAUTHORIZED, `${API_KEY_HEADER} is not this satellite's API key; use the key from --api-key-file or Settings > API`, {
        field: API_KEY_HEADER,
      });
    }
  };
}
