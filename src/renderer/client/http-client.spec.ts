/* eslint-disable no-restricted-imports -- this spec runs in Node, not in the sandboxed renderer: it stands up a local HTTP server */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient, fileNameFromDisposition } from './http-client';
import { SatelliteError } from './satellite-error';

interface Seen {
  method: string;
  url: string;
  session: string | undefined;
  contentType: string | undefined;
  body: string;
}

const signedIn = () => ({ token: () => 'tok-123', endedCalls: 0, ended() { this.endedCalls++; } });
const signedOut = () => ({ token: () => undefined, endedCalls: 0, ended() { this.endedCalls++; } });

// A tiny stand-in for the headless server's /ui routes, on 127.0.0.1 only.
describe('HTTP transport against a local node:http server', () => {
  let server: Server;
  let baseUrl = '';
  const seen: Seen[] = [];

  const reply = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const session = req.headers['x-satellite-session'];
        seen.push({ method: req.method ?? '', url: req.url ?? '', session: typeof session === 'string' ? session : undefined, contentType: req.headers['content-type'], body });
        if (req.url === '/ui/rpc/generatePassphrase') {
          if (session !== 'tok-123') return reply(res, 401, { errors: [{ code: 40100, message: 'not signed in' }] });
          return reply(res, 200, { passphrase: 'correct horse battery staple' });
        }
        if (req.url === '/ui/rpc/requestCertificate') {
          return reply(res, 400, {
            errors: [
              { code: 40000, message: 'commonName is required', args: { field: 'csrAttributes.commonName' } },
              { code: 10051, message: 'Application not found' },
            ],
          });
        }
        if (req.url === '/ui/rpc/getApiKey') return reply(res, 401, 'Unauthorized', { 'content-type': 'text/plain' });
        if (req.url === '/ui/rpc/listServerTypes') return reply(res, 502, '<html>Bad gateway</html>', { 'content-type': 'text/html' });
        if (req.url === '/ui/download/keystore') {
          res.writeHead(200, {
            'content-type': 'application/x-pkcs12',
            'content-disposition': `attachment; filename="fallback.p12"; filename*=UTF-8''api.example.com%20%C3%A9.p12`,
            'x-export-scheme': 'PKCS#12 Modern: AES-256-CBC, PBKDF2-HMAC-SHA256, MAC HMAC-SHA256',
          });
          return res.end(Buffer.from([0x30, 0x82, 0x01, 0x02, 0x03]));
        }
        reply(res, 404, { errors: [{ code: 40400, message: `no route ${req.url}` }] });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('sends the session token in x-satellite-session and the input as a JSON body', async () => {
    const client = createHttpClient({ baseUrl, session: signedIn() });
    const out = await client.call('generatePassphrase', {});
    expect(out).toEqual({ passphrase: 'correct horse battery staple' });
    const last = seen.at(-1)!;
    expect(last).toMatchObject({ method: 'POST', url: '/ui/rpc/generatePassphrase', session: 'tok-123', contentType: 'application/json', body: '{}' });
    expect(client.transport).toBe('web');
  });

  it('signed out, the refusal comes back in the cloud error shape and the session hears that it ended', async () => {
    const session = signedOut();
    const client = createHttpClient({ baseUrl, session });
    const err = await client.call('generatePassphrase', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SatelliteError);
    expect((err as SatelliteError).status).toBe(401);
    expect((err as SatelliteError).errors).toEqual([{ code: 40100, message: 'not signed in' }]);
    expect(seen.at(-1)!.session).toBeUndefined();
    expect(session.endedCalls).toBe(1);
  });

  it('keeps every error and separates field errors from general ones', async () => {
    const client = createHttpClient({ baseUrl, session: signedIn() });
    const err = (await client
      .call('requestCertificate', { applicationId: crypto.randomUUID(), certificateIssuingTemplateId: crypto.randomUUID(), isVaaSGenerated: true })
      .catch((e: unknown) => e)) as SatelliteError;
    expect(err.errors).toHaveLength(2);
    expect(err.fieldErrors()).toEqual([{ field: 'csrAttributes.commonName', message: 'commonName is required' }]);
    expect(err.generalErrors()).toEqual([{ code: 10051, message: 'Application not found' }]);
  });

  it('turns a 401 without a JSON body into a sign-in-again message', async () => {
    const client = createHttpClient({ baseUrl, session: signedOut() });
    const err = (await client.call('getApiKey', {}).catch((e: unknown) => e)) as SatelliteError;
    expect(err.status).toBe(401);
    expect(err.errors[0]).toMatchObject({ code: 40100 });
    expect(err.message).toMatch(/Sign in again/);
  });

  it('describes a non-JSON failure with its HTTP status', async () => {
    const client = createHttpClient({ baseUrl, session: signedOut() });
    const err = (await client.call('listServerTypes', {}).catch((e: unknown) => e)) as SatelliteError;
    expect(err.status).toBe(502);
    expect(err.message).toMatch(/HTTP 502/);
  });

  it('reports an unreachable satellite as such', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const client = createHttpClient({ baseUrl: `http://127.0.0.1:${port}`, session: signedOut() });
    await expect(client.call('listApplications', {})).rejects.toThrow(/Cannot reach the satellite/);
  });

  it('downloads a keystore: bytes to the saver, name from Content-Disposition, scheme from the header', async () => {
    const saved: { blob: Blob; name: string }[] = [];
    const client = createHttpClient({ baseUrl, session: signedIn(), saveFile: (blob, name) => saved.push({ blob, name }) });
    const summary = await client.downloadKeystore({
      id: crypto.randomUUID(),
      exportFormat: 'PKCS12',
      privateKeyPassphrase: 'a-long-enough-passphrase',
      certificateLabel: 'api.example.com',
    });
    expect(summary).toEqual({
      fileName: 'api.example.com é.p12',
      mediaType: 'application/x-pkcs12',
      scheme: 'PKCS#12 Modern: AES-256-CBC, PBKDF2-HMAC-SHA256, MAC HMAC-SHA256',
      sizeBytes: 5,
    });
    expect(saved).toHaveLength(1);
    expect([...new Uint8Array(await saved[0]!.blob.arrayBuffer())]).toEqual([0x30, 0x82, 0x01, 0x02, 0x03]);
    expect(seen.at(-1)).toMatchObject({ url: '/ui/download/keystore', session: 'tok-123' });
  });
});

describe('Content-Disposition parsing', () => {
  it('prefers filename*, strips paths, falls back', () => {
    expect(fileNameFromDisposition('attachment; filename="a.pem"', 'x')).toBe('a.pem');
    expect(fileNameFromDisposition('attachment; filename=b.der', 'x')).toBe('b.der');
    expect(fileNameFromDisposition('attachment; filename="../../etc/passwd"', 'x')).toBe('.._.._etc_passwd');
    expect(fileNameFromDisposition(null, 'fallback.pem')).toBe('fallback.pem');
  });
});
