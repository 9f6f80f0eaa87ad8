import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';

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
 * arriving. Here the connection is kept instead and the rest of the body discarded (above); the
 * connection then serves the client's next request. While the server is closing (`isClosing`),
 * connections close as they are answered, body or not.
 */
export function drainRefusedBodies(app: FastifyInstance, isClosing: () => boolean, drainMs = REFUSED_BODY_DRAIN_MS): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const incoming = request.raw;
    if (incoming.complete || isClosing() || reply.getHeader('connection') !== 'close') return payload;
    reply.removeHeader('connection');
    reply.raw.once('finish', () => discardRestOfBody(incoming, drainMs));
    return payload;
  });
}
