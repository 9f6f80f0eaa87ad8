import { createServer } from 'node:net';

/** A TCP port on 127.0.0.1 that nothing listened on a moment ago, for a peer the test starts (nginx). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolvePort(port));
    });
  });
}
