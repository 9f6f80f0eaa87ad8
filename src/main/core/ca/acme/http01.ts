import { createServer, type Server } from 'node:http';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CaError } from '../connector';

const PREFIX = '/.well-known/acme-challenge/';
const TOKEN = /^[A-Za-z0-9_-]+$/;

/** Where http-01 answers come from during one order. */
export interface Http01Publisher {
  publish(token: string, keyAuthorization: string): Promise<void>;
  unpublish(token: string): Promise<void>;
  close(): Promise<void>;
}

function checkToken(token: string): void {
  // The token becomes a URL path and, in webroot mode, a file name.
  if (!TOKEN.test(token)) throw new CaError(`The ACME server sent an http-01 token with unexpected characters: ${JSON.stringify(token)}`, false);
}

/** A built-in responder, listening only while the order runs. */
export async function startStandaloneResponder(listenAddress: string, port: number): Promise<Http01Publisher> {
  const answers = new Map<string, string>();
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const answer = req.method === 'GET' && path.startsWith(PREFIX) ? answers.get(path.slice(PREFIX.length)) : undefined;
    if (answer === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(answer);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        new CaError(
          `The http-01 responder could not listen on ${listenAddress}:${port} (${e.code ?? e.message}); pick a free port or an address of this machine in the template's ACME challenge settings, or use webroot mode`,
          e.code === 'EADDRINUSE',
        ),
      ),
    );
    server.listen(port, listenAddress, () => resolve());
  });
  return {
    async publish(token, keyAuthorization) {
      checkToken(token);
      answers.set(token, keyAuthorization);
    },
    async unpublish(token) {
      answers.delete(token);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Files under webroot/.well-known/acme-challenge, served by a web server the user already runs. */
export function webrootPublisher(webroot: string): Http01Publisher {
  const dir = join(webroot, ...PREFIX.split('/').filter(Boolean));
  return {
    async publish(token, keyAuthorization) {
      checkToken(token);
      try {
        await mkdir(dir, { recursive: true });
        await writeFile(join(dir, token), keyAuthorization, { mode: 0o644 });
      } catch (e) {
        throw new CaError(`Could not write the http-01 answer into webroot ${webroot} (${(e as Error).message}); check the webroot path and its permissions`, false);
      }
    },
    async unpublish(token) {
      await rm(join(dir, token), { force: true });
    },
    async close() {},
  };
}
