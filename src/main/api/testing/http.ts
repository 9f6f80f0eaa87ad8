import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text(): string;
  json(): unknown;
}

export interface RawRequest {
  method?: string;
  /** Sent exactly as given (no normalisation of `..` or percent-encoding). */
  path: string;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
  /** Client address to send from, e.g. 127.0.0.2 (Linux routes all of 127/8 to loopback). */
  localAddress?: string;
  timeoutMs?: number;
}

/** One HTTP/1.1 request with full control of Host, path and body; a fresh connection each time. */
export function rawRequest(baseUrl: string, req: RawRequest): Promise<RawResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const r = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: req.method ?? 'GET',
        path: req.path,
        headers: { host: url.host, ...req.headers },
        agent: false,
        localAddress: req.localAddress,
        timeout: req.timeoutMs ?? 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: () => body.toString('utf8'), json: () => JSON.parse(body.toString('utf8')) as unknown });
        });
        res.on('error', reject);
      },
    );
    r.on('timeout', () => r.destroy(new Error(`no answer to ${req.method ?? 'GET'} ${req.path} within ${req.timeoutMs ?? 30_000} ms`)));
    r.on('error', reject);
    if (req.body !== undefined) r.write(req.body);
    r.end();
  });
}

/** True when `body` is the cloud's error shape: {errors: [{code: number, message: string, ...}]}, at least one. */
export function isCloudErrorBody(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || !('errors' in body)) return false;
  const errors = (body as { errors: unknown }).errors;
  return (
    Array.isArray(errors) &&
    errors.length > 0 &&
    errors.every((e) => typeof e === 'object' && e !== null && typeof (e as { code: unknown }).code === 'number' && typeof (e as { message: unknown }).message === 'string')
  );
}
