import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../core/common/log';
import { discardRestOfBody } from './refused-body';
import { PKI_PATHS, pkiFileAt } from '../core/ca/builtin/pki-paths';
import type { SatelliteService } from '../core/service';

// The PKI listener: what relying parties fetch from the URLs in the built-in CA's certificates
// (CRL Distribution Point, AIA caIssuers and OCSP). Public by nature, so no API key, and plain
// HTTP as CRL and OCSP clients expect; it answers these paths and nothing else of the satellite.

const SERVED = `${PKI_PATHS.crl}, ${PKI_PATHS.intermediate} (and -g2, -g3, ... for later issuing CAs), ${PKI_PATHS.rootCrl}, ${PKI_PATHS.root}`;
/** An OCSP request for a few certificates is a few hundred bytes. */
const MAX_OCSP_REQUEST = 16 * 1024;

export interface PkiServer {
  /** http://host:port as bound. */
  url: string;
  /** The satellite whose CA it serves, once it is open (it is bound first, so its URL can go into certificates). */
  serve(service: SatelliteService): void;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: Uint8Array | string, headers: Record<string, string> = {}): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  res.writeHead(status, { 'content-length': String(bytes.length), 'x-content-type-options': 'nosniff', ...(typeof body === 'string' ? { 'content-type': 'text/plain; charset=utf-8' } : {}), ...headers });
  res.end(res.req.method === 'HEAD' ? undefined : bytes);
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_OCSP_REQUEST) {
        // Answered 413; the rest is read and dropped so the client gets to read the answer.
        discardRestOfBody(req);
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startPkiServer(options: { host: string; port: number; log: Logger }): Promise<PkiServer> {
  let service: SatelliteService | undefined;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (!service) return send(res, 503, 'the satellite is starting; try again in a moment', { 'retry-after': '5' });
    const file = pkiFileAt(path);
    if (file) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'use GET', { allow: 'GET, HEAD' });
      const found = await service.publicPkiFile(file);
      if (!found) return send(res, 404, file.what === 'root-crl' ? `${path}: the root has no CRL here; the satellite's log says why` : `${path}: this built-in CA has no issuing CA ${'generation' in file ? file.generation : ''}`);
      return send(res, 200, found.bytes, { 'content-type': found.mediaType, 'cache-control': file.what === 'crl' ? 'max-age=3600' : 'max-age=86400' });
    }
    if (path === PKI_PATHS.ocsp || path.startsWith(`${PKI_PATHS.ocsp}/`)) {
      let request: Uint8Array | undefined;
      if (req.method === 'POST') {
        request = await readBody(req);
        if (!request) return send(res, 413, `an OCSP request is at most ${MAX_OCSP_REQUEST} bytes`);
      } else if (req.method === 'GET' && path.length > PKI_PATHS.ocsp.length + 1) {
        // RFC 6960 A.1: GET {url}/{url-encoding of base-64 encoding of the DER OCSPRequest}
        let encoded: string;
        try {
          encoded = decodeURIComponent(path.slice(PKI_PATHS.ocsp.length + 1));
        } catch {
          encoded = ''; // not URL-encoding at all: answered malformedRequest like any unreadable request
        }
        request = Buffer.from(encoded, 'base64');
      } else {
        return send(res, 405, 'POST an application/ocsp-request, or GET /pki/ocsp/<base64 request>', { allow: 'GET, POST' });
      }
      const answer = await service.ocspResponse(request);
      return send(res, 200, answer, { 'content-type': 'application/ocsp-response', 'cache-control': 'max-age=300' });
    }
    send(res, 404, `not found: this listener serves only ${SERVED} and ${PKI_PATHS.ocsp}`);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.log.log('error', 'pki listener: answer failed', { path: req.url, message: (error as Error).message });
      if (!res.headersSent) send(res, 500, 'the satellite could not answer; its log has the details');
      else res.destroy();
    });
  });
  // Slow or idle clients give their sockets back (as the API listener does).
  server.headersTimeout = 10_000;
  server.requestTimeout = 10_000;
  server.keepAliveTimeout = 5_000;
  server.maxConnections = 512;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    serve: (s) => (service = s),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
