import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type Agent } from 'node:https';
import { CaError } from '../connector';

/** The fields of an ACME directory (RFC 8555 section 7.1.1, RFC 9773 for renewalInfo) the connector uses. */
export interface AcmeDirectory {
  newNonce?: string;
  newAccount?: string;
  newOrder?: string;
  renewalInfo?: string;
  meta?: {
    termsOfService?: string;
    website?: string;
    externalAccountRequired?: boolean;
    /** Certificate profiles the CA offers (draft-ietf-acme-profiles): name -> description. */
    profiles?: Record<string, string>;
  };
}

/** GET a JSON document; network failures and timeouts become a retryable CaError. */
export function getJson(url: string, agent: Agent | undefined, timeoutMs: number): Promise<{ status: number; body: unknown; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const isHttps = url.startsWith('https:');
    const options = { method: 'GET', timeout: timeoutMs, headers: { accept: 'application/json' }, ...(isHttps && agent ? { agent } : {}) };
    const req = (isHttps ? httpsRequest : httpRequest)(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          // Not JSON: hand back the text; callers check the shape.
        }
        resolve({ status: res.statusCode ?? 0, body, headers: res.headers });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (e) => reject(new CaError(`Could not reach the ACME server at ${url}: ${e.message}; the request will be retried later`, true)));
    req.end();
  });
}

export async function fetchDirectory(directoryUrl: string, agent: Agent | undefined, timeoutMs: number): Promise<AcmeDirectory> {
  const { status, body } = await getJson(directoryUrl, agent, timeoutMs);
  if (status >= 500) throw new CaError(`The ACME directory ${directoryUrl} answered HTTP ${status}; the request will be retried later`, true);
  if (status !== 200 || typeof body !== 'object' || body === null || !('newOrder' in body)) {
    throw new CaError(`${directoryUrl} is not an ACME directory (HTTP ${status}); check directoryUrl in the template's ACME settings`, false);
  }
  return body as AcmeDirectory;
}
