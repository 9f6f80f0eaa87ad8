import { ERROR_CODES } from '../../shared/error-codes';
import { apiError, type ApiError } from './cloud-error';

interface Entry {
  method: string;
  pattern: RegExp;
}

function patternOf(url: string): RegExp {
  const source = url
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}/?$`);
}

/** The routes that exist, so an unknown path answers 404 and a known path with the wrong method 405. */
export class RouteCatalogue {
  private readonly entries: Entry[] = [];
  /** Every route as registered (Fastify form, /certificates/:id), for the OpenAPI completeness check. */
  readonly registered: { method: string; url: string }[] = [];

  add(method: string | string[], url: string): void {
    for (const m of [method].flat()) this.registered.push({ method: m.toUpperCase(), url });
    // The static web UI's catch-all would otherwise make every path "exist".
    if (url.includes('*')) return;
    for (const m of [method].flat()) this.entries.push({ method: m.toUpperCase(), pattern: patternOf(url) });
  }

  methodsFor(path: string): string[] {
    return [...new Set(this.entries.filter((e) => e.pattern.test(path)).map((e) => e.method))].sort();
  }

  /** 405 with Allow when the path exists under other methods, else 404. */
  notFound(method: string, rawUrl: string): ApiError {
    const path = rawUrl.split('?')[0] ?? '/';
    const allowed = this.methodsFor(path);
    if (allowed.length > 0 && !allowed.includes(method.toUpperCase())) {
      return apiError(405, ERROR_CODES.METHOD_NOT_ALLOWED, `${method} is not allowed here; use ${allowed.join(' or ')}`, { allowed }, { allow: allowed.join(', ') });
    }
    return apiError(404, ERROR_CODES.NOT_FOUND, 'no such endpoint; GET /openapi.json lists every endpoint this satellite serves');
  }
}
