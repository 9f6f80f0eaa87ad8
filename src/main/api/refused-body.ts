import type { IncomingMessage } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_CODES } from '../../shared/error-codes';
import { apiError, type ApiError } from './cloud-error';

/**
 * How long the rest of a refused body is read and thrown away after the answer has gone out.
 * Long enough for a body of a few MiB over a slow link; a client still sending after it loses
 * the connection.
 */
export const REFUSED_BODY_DRAIN_MS = 10_000;

/**
 * Reads what is left of `incoming`'s body and throws it away, for at most `drainMs`; then the
 * connection is closed if the body is still arriving. Closing at once instead would meet the rest
 * of the body with a reset, and a client that sends its whole body before it reads (Python's
 * http.client, so requests and vcert-python) would see "Broken pipe" instead of the answer: this
 * is nginx's lingering close.
 */
export function discardRestOfBody(incoming: IncomingMessage, drainMs = REFUSED_BODY_DRAIN_MS): void {
  if (incoming.complete) return;
  incoming.removeAllListeners('data');
  incoming.resume();
  const socket = incoming.socket;
  const timer = setTimeout(() => socket.destroy(), drainMs);
  timer.unref();
  const stop = () => clearTimeout(timer);
  incoming.once('end', stop);
  socket.once('close', stop);
}

/**
 * Fastify refuses a body it has not read (too large by its Content-Length, or over the limit
 * while parsing) with `connection: close`, and Node then closes the socket with the body still
 * arriving. Called from the error handler, this keeps the connection instead and discards the rest
 * of the body once the answer is out (above); the connection then serves the client's next
 * request. Not while the server is closing: connections then close as they are answered.
 */
export function keepReadingRefusedBody(request: FastifyRequest, reply: FastifyReply, closing: boolean, drainMs = REFUSED_BODY_DRAIN_MS): void {
  const incoming = request.raw;
  if (incoming.complete || closing || reply.getHeader('connection') !== 'close') return;
  reply.removeHeader('connection');
  reply.raw.once('finish', () => discardRestOfBody(incoming, drainMs));
}

/**
 * The API reads bodies as sent: one sent compressed fails to parse, and "not valid JSON" would send
 * its client looking in the wrong place. When the request names a Content-Encoding, the refusal
 * names it instead (RFC 9110: 415 for a content coding the server does not accept). Looked at only
 * once parsing failed, so no request pays for it, and a body that parses is taken whatever the
 * header says (some clients put a charset there).
 */
export function encodedBodyRefusal(request: FastifyRequest, error: unknown): ApiError | undefined {
  if ((error as { code?: unknown } | undefined)?.code !== 'FST_ERR_CTP_INVALID_JSON_BODY') return undefined;
  const encoding = request.headers['content-encoding']?.trim();
  if (!encoding || encoding.toLowerCase() === 'identity') return undefined;
  return apiError(415, ERROR_CODES.UNSUPPORTED_MEDIA_TYPE, `Content-Encoding "${encoding.slice(0, 40)}" is not accepted; send the body uncompressed, without a Content-Encoding header`);
}
