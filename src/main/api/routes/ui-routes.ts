import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { downloadCertificateInputSchema, downloadDekBackupInputSchema, downloadKeystoreInputSchema, rpcInputSchemas, type RpcMethod } from '../../../shared/client';
import { ERROR_CODES } from '../../../shared/error-codes';
import type { ApiContext } from '../api-context';
import { apiError, parseOr400 } from '../cloud-error';
import { sendExport } from '../export-reply';
import { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from '../security/ui-sessions';
import { credentialId, recordWrongCredential } from './cloud-auth';

const loginQuerySchema = z.object({ token: z.string({ error: 'token is required: open the sign-in URL the satellite printed at start' }).min(1).max(512) });

const SIGN_IN = 'open the one-time sign-in URL the satellite printed at start (GET /ui/login?token=...)';

/** GET /ui/login?token=...: the printed one-time token becomes an HttpOnly session cookie and a CSRF cookie. */
export function uiLoginRoute(ctx: ApiContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/ui/login', async (request, reply) => {
      const { token } = parseOr400(loginQuerySchema, request.query);
      // A HEAD (a link preview, a prefetch) never spends the one-time link.
      if (request.method === 'HEAD') return reply.code(204).send();
      const redeemed = ctx.sessions.redeem(token);
      if (!redeemed) {
        recordWrongCredential(ctx, credentialId('login-token', token));
        throw apiError(401, ERROR_CODES.UNAUTHORIZED, `token: is not this satellite's sign-in token, or it was used already; restart the satellite for a new one`, { field: 'token' });
      }
      const cookie = { path: '/', sameSite: 'strict' as const };
      return reply
        .setCookie(SESSION_COOKIE, redeemed.sessionId, { ...cookie, httpOnly: true })
        .setCookie(CSRF_COOKIE, redeemed.session.csrfToken, { ...cookie, httpOnly: false })
        .redirect('/', 303);
    });
  };
}

/** onRequest hook of /ui/rpc and /ui/download: a live session, and for every POST the CSRF token. */
function sessionHook(ctx: ApiContext) {
  return async (request: FastifyRequest): Promise<void> => {
    const sessionId = request.cookies[SESSION_COOKIE];
    if (!sessionId) throw apiError(401, ERROR_CODES.UNAUTHORIZED, `not signed in; ${SIGN_IN}`);
    const session = ctx.sessions.find(sessionId);
    if (!session) {
      recordWrongCredential(ctx, credentialId('session', sessionId));
      throw apiError(401, ERROR_CODES.UNAUTHORIZED, `the session has ended or is unknown; ${SIGN_IN}`);
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const header = request.headers[CSRF_HEADER];
      if (!ctx.sessions.csrfMatches(session, typeof header === 'string' ? header : undefined, request.cookies[CSRF_COOKIE])) {
        throw apiError(403, ERROR_CODES.FORBIDDEN, `${CSRF_HEADER} header must equal the ${CSRF_COOKIE} cookie; reload the web UI`, { field: CSRF_HEADER });
      }
    }
  };
}

const RPC_METHODS = Object.keys(rpcInputSchemas);

/** The web UI's transport: the same RPC contract as Electron's IPC, and the three downloads. */
export function uiRoutes(ctx: ApiContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.addHook('onRequest', sessionHook(ctx));

    // importCertificate carries a PKCS#12 of up to 2 MB in base64; only signed-in callers get this far.
    app.post('/ui/rpc/:method', { bodyLimit: 4 * 1024 * 1024 }, async (request) => {
      const { method } = request.params as { method: string };
      if (!Object.hasOwn(rpcInputSchemas, method)) {
        throw apiError(404, ERROR_CODES.NOT_FOUND, `method: "${method.slice(0, 64)}" is not a satellite method; use one of ${RPC_METHODS.join(', ')}`, { field: 'method' });
      }
      const name = method as RpcMethod;
      const input = parseOr400(rpcInputSchemas[name], request.body ?? {});
      return (await ctx.service.call(name, input as never)) ?? {};
    });

    app.post('/ui/download/certificate', async (request, reply) => {
      const input = parseOr400(downloadCertificateInputSchema, request.body ?? {});
      return sendExport(reply, await ctx.service.exportCertificate(input));
    });

    app.post('/ui/download/keystore', async (request, reply) => {
      const input = parseOr400(downloadKeystoreInputSchema, request.body ?? {});
      return sendExport(reply, await ctx.service.exportKeystore(input));
    });

    // The browser saves what it receives, so handing the bytes out is when the backup is recorded.
    app.post('/ui/download/dek-backup', async (request, reply) => {
      const input = parseOr400(downloadDekBackupInputSchema, request.body ?? {});
      const backup = await ctx.service.exportDekBackup(input);
      await ctx.service.recordDekBackup(backup.createdAt);
      return sendExport(reply, backup);
    });
  };
}
