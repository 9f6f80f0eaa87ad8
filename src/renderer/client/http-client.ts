import { ERROR_CODES, type CallOptions, type ExportSummary, type RpcInput, type RpcMethod, type RpcOutputs, type SatelliteClient } from '../../shared';
import { isClientError, SatelliteError, toSatelliteError, unreachableError } from './satellite-error';
import { SESSION_HEADER, type WebSession } from './web-session';
const API_KEY_HEADER = 'tppl-api-key';
/** Response header the headless server sets on downloads: which scheme the keystore used, as re-read. */
export const EXPORT_SCHEME_HEADER = 'x-export-scheme';

export interface HttpClientOptions {
  /** '' for same origin (the web UI); an absolute origin in tests. */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Where the session token comes from, and who hears that it ended. */
  session?: Pick<WebSession, 'token' | 'ended'>;
  /** Hands a downloaded file to the user. */
  saveFile?: (blob: Blob, fileName: string) => void;
}

/** The file name of a Content-Disposition header (RFC 6266: filename* wins over filename). */
export function fileNameFromDisposition(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header)?.[1];
  if (star) {
    try {
      return decodeURIComponent(star.trim());
    } catch {
      // malformed percent-encoding: try the plain parameter
    }
  }
  const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]+))/.exec(header);
  const name = plain?.[1]?.replace(/\\(.)/g, '$1') ?? plain?.[2]?.trim();
  // Never let a server-chosen name carry a path.
  return name ? name.replace(/[/\\]/g, '_') : fallback;
}

/** Browser default: an object URL clicked through a temporary <a download>. */
export function saveWithAnchor(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // Give the browser a moment to start the download before the URL goes away.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const SESSION_EXPIRED = 'Your session has ended. Sign in again, then retry.';

async function errorFrom(res: Response): Promise<SatelliteError> {
  const text = await res.text().catch(() => '');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON (a proxy's HTML page, say): described below
  }
  if (isClientError(parsed)) {
    return toSatelliteError(parsed, res.status);
  }
  if (res.status === 401) return new SatelliteError([{ code: ERROR_CODES.UNAUTHORIZED, message: SESSION_EXPIRED }], 401);
  const detail = text.trim().slice(0, 200);
  return new SatelliteError(
    [{ code: res.status >= 500 ? ERROR_CODES.INTERNAL : ERROR_CODES.VALIDATION, message: `The satellite answered HTTP ${res.status}${detail ? `: ${detail}` : ''}` }],
    res.status,
  );
}

/** The web transport: same-origin fetch with the session token in its header. */
export function createHttpClient(options: HttpClientOptions = {}): SatelliteClient {
  const base = options.baseUrl ?? '';
  const doFetch = options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const session = options.session;
  const save = options.saveFile ?? saveWithAnchor;

  const post = async (path: string, body: unknown, options: CallOptions = {}): Promise<Response> => {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (options.apiKey) headers[API_KEY_HEADER] = options.apiKey;
    const token = session?.token();
    if (token) headers[SESSION_HEADER] = token;
    let res: Response;
    try {
      res = await doFetch(`${base}${path}`, { method: 'POST', credentials: 'omit', headers, body: JSON.stringify(body ?? {}) });
    } catch (cause) {
      throw unreachableError(cause);
    }
    if (!res.ok) {
      if (res.status === 401) session?.ended();
      throw await errorFrom(res);
    }
    return res;
  };

  const download = async (path: string, input: unknown, fallbackName: string): Promise<ExportSummary> => {
    const res = await post(path, input);
    const blob = await res.blob();
    const fileName = fileNameFromDisposition(res.headers.get('content-disposition'), fallbackName);
    save(blob, fileName);
    return {
      fileName,
      mediaType: res.headers.get('content-type') ?? 'application/octet-stream',
      scheme: res.headers.get(EXPORT_SCHEME_HEADER) ?? '',
      sizeBytes: blob.size,
    };
  };

  return {
    transport: 'web',
    async call<M extends RpcMethod>(method: M, input: RpcInput<M>, options?: CallOptions): Promise<RpcOutputs[M]> {
      const res = await post(`/ui/rpc/${encodeURIComponent(method)}`, input, options);
      const text = await res.text();
      if (!text) return undefined as unknown as RpcOutputs[M];
      try {
        return JSON.parse(text) as RpcOutputs[M];
      } catch {
        throw new SatelliteError([{ code: ERROR_CODES.INTERNAL, message: `The satellite answered ${method} with something that is not JSON` }], res.status);
      }
    },
    downloadCertificate: (input) => download('/ui/download/certificate', input, 'certificate.pem'),
    downloadKeystore: (input) => download('/ui/download/keystore', input, 'keystore'),
    downloadDekBackup: (input) => download('/ui/download/dek-backup', input, 'keypair-satellite-dek-backup.json'),
  };
}
