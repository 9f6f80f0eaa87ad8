import { CaError, type SecretVault } from '../connector';
import { cloudHttpError } from './cloud-errors';

export interface CloudResponse {
  status: number;
  body: unknown;
}

const REQUEST_TIMEOUT_MS = 30_000;

/** HTTP to the cloud with the API key from the vault; the key is never logged or put in a message. */
export class CloudApi {
  constructor(
    private readonly baseUrl: string,
    private readonly secrets: SecretVault,
    private readonly apiKeySecretId: string | undefined,
  ) {}

  /** The answer whatever its status; only a missing key, a failed connection or a timeout throw. */
  async send(method: 'GET' | 'POST', path: string, body?: unknown, accept = 'application/json'): Promise<CloudResponse> {
    const apiKey = await this.apiKey();
    const url = `${this.baseUrl.replace(/\/$/, '')}${path}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: { 'tppl-api-key': apiKey, accept, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      const why = (e as Error).name === 'TimeoutError' ? `no answer within ${REQUEST_TIMEOUT_MS / 1000} s` : (cause?.code ?? cause?.message ?? (e as Error).message);
      throw new CaError(`Could not reach the cloud at ${this.baseUrl} (${why}); the request will be retried later`, true);
    }
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json')) {
      try {
        parsed = JSON.parse(text);
      } catch {
        // Keep the text: the error mapping quotes it.
      }
    }
    return { status: res.status, body: parsed };
  }

  /** Like send, but any status other than `expected` becomes a CaError. */
  async expect(expected: number, what: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    const res = await this.send(method, path, body);
    if (res.status !== expected) throw cloudHttpError(what, res.status, res.body);
    return res.body;
  }

  private async apiKey(): Promise<string> {
    if (!this.apiKeySecretId) throw new CaError('No cloud API key has been entered for this template: enter it in Settings > Issuing templates', false);
    const key = (await this.secrets.read(this.apiKeySecretId))?.toString('utf8').trim();
    if (!key) throw new CaError(`No cloud API key is stored under "${this.apiKeySecretId}": enter the API key in Settings`, false);
    return key;
  }
}
