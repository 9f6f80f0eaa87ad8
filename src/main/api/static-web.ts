import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_CODES } from '../../shared/error-codes';
import { apiError, type ApiError } from './cloud-error';

const MEDIA_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

const badPath = (why: string) => apiError(400, ERROR_CODES.VALIDATION, `path ${why}`, { field: 'path' });

/**
 * The file a URL path names inside `root`, or why it names none. Rejects what could leave the
 * root: encoded slashes or NULs, backslashes, `.` and `..` segments; the final check on the
 * resolved path holds even if something slipped through.
 */
export function webPathOf(root: string, rawUrl: string): string | ApiError {
  const rawPath = rawUrl.split('?')[0] ?? '/';
  if (/%(2f|5c|00)/i.test(rawPath)) return badPath('must not contain encoded slashes, backslashes or NUL');
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return badPath('has malformed percent-encoding');
  }
  if (/[\\\p{Cc}]/u.test(decoded)) return badPath('must not contain backslashes or control characters');
  const segments = decoded.split('/').slice(1);
  if (segments.some((s) => s === '..' || s === '.')) return badPath('must not contain . or .. segments');
  const relative = segments.filter(Boolean).join('/') || 'index.html';
  const full = resolve(root, relative);
  if (!full.startsWith(root + sep)) return badPath('points outside the web UI');
  return full;
}

async function fileInside(root: string, path: string): Promise<string | undefined> {
  try {
    if (!(await stat(path)).isFile()) return undefined;
    // A symlink inside the root must not lead out of it.
    const [realRoot, real] = await Promise.all([realpath(root), realpath(path)]);
    return real.startsWith(realRoot + sep) ? real : undefined;
  } catch {
    return undefined;
  }
}

/** GET handler for the web UI (out/web): its files, and index.html for the client-side routes. */
export function staticWebHandler(webRoot: string | undefined, notFound: (request: FastifyRequest) => ApiError) {
  const root = webRoot ? resolve(webRoot) : undefined;
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (!root) throw apiError(404, ERROR_CODES.NOT_FOUND, 'the web UI is not built; run `npm run build:web`, then restart the satellite');
    const target = webPathOf(root, request.url);
    if (typeof target !== 'string') throw target;
    let file = await fileInside(root, target);
    // Client-side routes (no file extension) get the app itself.
    if (!file && extname(target) === '') file = await fileInside(root, resolve(root, 'index.html'));
    if (!file) throw notFound(request);
    const body = await readFile(file);
    return reply
      .header('content-type', MEDIA_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream')
      .header('cache-control', 'no-cache')
      .send(body);
  };
}
