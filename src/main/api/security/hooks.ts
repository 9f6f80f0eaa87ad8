import type { FastifyInstance, FastifyReply } from 'fastify';
import { ERROR_CODES } from '../../../shared/error-codes';
import { apiError } from '../cloud-error';
import type { MappedError } from '../error-mapping';
import { NO_STORE, SECURITY_HEADERS } from './headers';
import type { HostPolicy } from './host-origin';

/** Security headers and no-store on one reply (also used where Fastify's hooks do not run). */
export function applySecurityHeaders(reply: FastifyReply): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
  if (!reply.hasHeader('cache-control')) reply.header('cache-control', NO_STORE);
  // Defence in depth: nothing in this server sets CORS headers; make sure none leave it.
  reply.removeHeader('access-control-allow-origin');
  reply.removeHeader('access-control-allow-credentials');
}

export function sendMappedError(reply: FastifyReply, mapped: MappedError): FastifyReply {
  applySecurityHeaders(reply);
  return reply.code(mapped.status).headers(mapped.headers).type('application/json; charset=utf-8').send(mapped.body);
}

/**
 * Hooks every request passes first, before any body is read: refuse while shutting down,
 * refuse foreign Host and Origin; and on the way out, the security headers.
 */
export function installSecurityHooks(app: FastifyInstance, hostPolicy: HostPolicy, isClosing: () => boolean): void {
  app.addHook('onRequest', async (request) => {
    if (isClosing()) {
      throw apiError(503, ERROR_CODES.INTERNAL, 'the satellite is shutting down; retry once it has restarted', undefined, { connection: 'close' });
    }
    if (request.raw.httpVersionMajor < 1) {
      throw apiError(400, ERROR_CODES.VALIDATION, 'HTTP/0.9 is not supported; send HTTP/1.1', undefined, { connection: 'close' });
    }
    const origin = request.headers.origin;
    const refusal = hostPolicy.check(request.headers.host, typeof origin === 'string' ? origin : undefined);
    if (refusal) throw refusal;
  });

  app.addHook('onSend', async (_request, reply, payload) => {
    applySecurityHeaders(reply);
    if (isClosing()) reply.header('connection', 'close');
    return payload;
  });
}
