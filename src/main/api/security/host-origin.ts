import { ERROR_CODES } from '../../../shared/error-codes';
import { apiError, type ApiError } from '../cloud-error';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** `::1` -> `[::1]`: how an IPv6 address appears in a Host header. */
function hostFormOf(address: string): string {
  return address.includes(':') && !address.startsWith('[') ? `[${address}]` : address;
}

/**
 * DNS-rebinding defence: a page on evil.example that re-points its name at 127.0.0.1 still
 * sends `Host: evil.example`, and a cross-site fetch carries its own Origin. Only the names this
 * server really answers to are accepted.
 */
export class HostPolicy {
  private hosts = new Set<string>();
  private origins = new Set<string>();

  /** `listenAddress`: the --listen address when it is not loopback, also accepted as a Host. */
  constructor(private readonly listenAddress?: string) {}

  /** Called once the port is known (it may have been 0). */
  setPort(port: number): void {
    const names = [...LOOPBACK_NAMES];
    if (this.listenAddress && !['0.0.0.0', '::'].includes(this.listenAddress)) names.push(hostFormOf(this.listenAddress));
    this.hosts = new Set(names.map((n) => `${n}:${port}`.toLowerCase()));
    this.origins = new Set([...this.hosts].map((h) => `http://${h}`));
  }

  /** The refusal for this Host/Origin pair, or undefined when both are ours. */
  check(host: string | undefined, origin: string | undefined): ApiError | undefined {
    if (!host || !this.hosts.has(host.toLowerCase())) {
      return apiError(400, ERROR_CODES.VALIDATION, `Host header must name this satellite (one of ${[...this.hosts].join(', ')}); a foreign Host is refused to defeat DNS rebinding`, {
        field: 'Host',
      });
    }
    if (origin !== undefined && !this.origins.has(origin.toLowerCase())) {
      return apiError(403, ERROR_CODES.FORBIDDEN, 'Origin must be this satellite\'s own origin; cross-origin calls are refused (no CORS)', { field: 'Origin' });
    }
    return undefined;
  }
}
