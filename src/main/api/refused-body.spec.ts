import { connect, type Socket } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { keepReadingRefusedBody } from './refused-body';

// Fastify refuses a body over its limit before reading it; the rest must be read and thrown away
// (so the client gets the answer, not a reset), but not for ever.

const LIMIT = 1024;
const DRAIN_MS = 300;
let app: FastifyInstance;
let port: number;
let closing = false;

beforeEach(async () => {
  closing = false;
  app = Fastify({ bodyLimit: LIMIT });
  app.setErrorHandler((error, request, reply) => {
    keepReadingRefusedBody(request, reply, closing, DRAIN_MS);
    return reply.send(error);
  });
  app.post('/echo', async (request) => request.body);
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as { port: number }).port;
});
afterEach(async () => {
  await app.close();
});

/** A raw connection that collects what the server sends and notes when it goes away. */
function open(): Promise<{ socket: Socket; received: () => string; closed: Promise<number> }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      const started = Date.now();
      let text = '';
      socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
      socket.on('error', () => undefined);
      const closed = new Promise<number>((done) => socket.once('close', () => done(Date.now() - started)));
      resolve({ socket, received: () => text, closed });
    });
  });
}
const head = (length: number) => `POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;
const until = async (check: () => boolean, ms = 3000) => {
  for (const end = Date.now() + ms; !check() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 10));
};

it('answers 413 at once, reads the rest of the body, and keeps the connection for the next request', async () => {
  const c = await open();
  const body = `"${'x'.repeat(LIMIT * 4 - 2)}"`;
  c.socket.write(head(body.length));
  await until(() => c.received().includes('\r\n\r\n'));
  expect(c.received()).toMatch(/^HTTP\/1\.1 413 /);
  expect(c.received().toLowerCase()).not.toContain('connection: close');
  c.socket.write(body);
  c.socket.write(`${head(7)}{"a":1}`);
  await until(() => c.received().endsWith('{"a":1}'));
  expect(c.received()).toMatch(/HTTP\/1\.1 200 [\s\S]*\r\n\r\n\{"a":1\}$/);
  c.socket.destroy();
});

it('gives up on a body still arriving after the drain time and closes the connection', async () => {
  const c = await open();
  c.socket.write(head(100 * 1024 * 1024));
  const trickle = setInterval(() => c.socket.writable && c.socket.write('x'.repeat(100)), 20);
  const closedAfter = await c.closed;
  clearInterval(trickle);
  expect(c.received()).toMatch(/^HTTP\/1\.1 413 /);
  expect(closedAfter).toBeGreaterThanOrEqual(DRAIN_MS);
  expect(closedAfter).toBeLessThan(DRAIN_MS + 2000);
});

it('while the server is closing, answers and closes at once', async () => {
  closing = true;
  const c = await open();
  c.socket.write(head(LIMIT * 4));
  await c.closed;
  expect(c.received()).toMatch(/^HTTP\/1\.1 413 /);
  expect(c.received().toLowerCase()).toContain('connection: close');
});
