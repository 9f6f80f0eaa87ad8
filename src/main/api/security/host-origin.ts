import { isIP } from 'node:net';
import { ERROR_CODES } from '../../../shared/error-codes';
import { apiError, type ApiError } from '../cloud-error';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];
const WILDCARDS = ['0.0.0.0', '::'];

/** `::1` -> `[::1]`: how an IPv6 address appears in a Host header. */
function hostFormOf(address: string): string {
  return address.includes(':') && !address.startsWith('[') ? `[${address}]` : address;
}

/** Host header value split into name and port; undefined when it is not `name:port`. */
function splitHost(host: string): { name: string; port: string } | undefined {
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+):(\d{1,5})$/i.exec(host);
  return m ? { name: m[1]!, port: m[2]! } : undefined;
}

/**
 * DNS-rebinding defence: a page on evil.example that re-points its name at 127.0.0.1 still
 * sends `Host: evil.example`, and a cross-site fetch carries its own Origin. Only the names this
 * server really answers to are accepted. When bound to every interface (--listen 0.0.0.0), any
 * IP literal is also accepted: rebinding needs a DNS name, and the machine's addresses are not
 * known in advance.
 */
export class HostPolicy {
  private hosts = new Set<string>();
  private origins = new Set<string>();
  private port = '';
  private readonly wildcard: boolean;

  /** `listenAddress`: the --listen address when it is not loopback, also accepted as a Host. */
  constructor(private readonly listenAddress?: string) {
    this.wildcard = listenAddress !== undefined && WILDCARDS.includes(listenAddress);
  }

  /** Called once the port is known (it may have been 0). */
  setPort(port: number): void {
    const names = [...LOOPBACK_NAMES];
    if (this.listenAddress && !this.wildcard) names.push(hostFormOf(this.listenAddress));
    this.port = String(port);
    this.hosts = new Set(names.map((n) => `${n}:${port}`.toLowerCase()));
    this.origins = new Set([...this.hosts].map((h) => `http://${h}`));
  }

  private acceptsHost(host: string): boolean {
    if (this.hosts.has(host)) return true;
    if (!this.wildcard) return false;
    const parts = splitHost(host);
    return parts !== undefined && parts.port === this.port && isIP(parts.name.replace(/^\[|\]$/g, '')) !== 0;
  }

  /** The refusal for this Host/Origin pair, or undefined when both are ours. */
  check(hostHeader: string | undefined, origin: string | undefined): ApiError | undefined {
    const host = hostHeader?.toLowerCase();
    if (!host || !this.acceptsHost(host)) {
      return apiError(400, ERROR_CODES.VALIDATION, `Host header must name this satellite (one of ${[...this.hosts].join(', ')}); a foreign Host is refused to defeat DNS rebinding`, {
        field: 'Host',
      });
    }
    if (origin !== undefined) {
      const o = origin.toLowerCase();
      if (!this.origins.has(o) && !(this.wildcard && o === `http://${host}`)) {
        return apiError(403, ERROR_CODES.FORBIDDEN, "Origin must be this satellite's own origin; cross-origin calls are refused (no CORS)", { field: 'Origin' });
      }
    }
    return undefined;
  }
}
