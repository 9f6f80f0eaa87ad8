import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { downloadCertificateInputSchema, downloadDekBackupInputSchema, downloadKeystoreInputSchema, rpcInputSchemas, type RpcMethod } from '../../../shared/client';
import { commandRunBy } from '../../../shared/ca-settings';
import { ERROR_CODES } from '../../../shared/error-codes';
import type { ApiContext } from '../api-context';
import { apiError, parseOr400 } from '../cloud-error';
import { sendExport } from '../export-reply';
import { SESSION_HEADER } from '../security/ui-sessions';
import { API_KEY_HEADER, credentialId, presentedKey, recordWrongCredential } from './cloud-auth';

const loginQuerySchema = z.object({ token: z.string({ error: 'token is required: open the sign-in link the satellite printed at start' }).min(1).max(512) });

const signInBodySchema = z.union(
  [z.object({ token: z.string().min(1).max(512) }).strict(), z.object({ apiKey: z.string().min(1).max(512) }).strict()],
  { error: 'give token (from the sign-in link the satellite printed at start) or apiKey (the satellite\'s API key)' },
);

const SIGN_IN = 'sign in again: open the sign-in link the satellite printed at start, or sign in with the API key';

/**
 * GET /ui/login?token=... (the printed link) hands the token to the web UI in the URL fragment,
 * which browsers never send anywhere; the UI exchanges it (POST /ui/session) for a session token
 * it keeps in this tab's sessionStorage. A GET never spends the token, so link previews are harmless.
 */
export function uiLoginRoute(ctx: ApiContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/ui/login', async (request, reply) => {
      const { token } = parseOr400(loginQuerySchema, request.query);
      return reply.redirect(`/#/signin?token=${encodeURIComponent(token)}`, 303);
    });

    app.post('/ui/session', async (request, reply) => {
      const body = parseOr400(signInBodySchema, request.body ?? {});
      if ('token' in body) {
        if (!ctx.sessions.spendLoginToken(body.token)) {
          recordWrongCredential(ctx, credentialId('login-token', body.token));
          throw apiError(401, ERROR_CODES.UNAUTHORIZED, 'This sign-in link was used already or is not this satellite\'s; sign in with the API key, or restart the satellite for a new link', { field: 'token' });
        }
      } else if (!(await ctx.service.verifyApiKey(body.apiKey))) {
        recordWrongCredential(ctx, credentialId('api-key', body.apiKey));
        throw apiError(401, ERROR_CODES.UNAUTHORIZED, 'That is not this satellite\'s API key; use the key from --api-key-file or the desktop app', { field: 'apiKey' });
      }
      const { sessionToken, endsAt } = ctx.sessions.start();
      return reply.code(201).send({ sessionToken, endsAt: endsAt.toISOString(), idleSeconds: ctx.sessions.idleSeconds });
    });
  };
}

/** onRequest hook of /ui/rpc and /ui/download: a live session in the session header. */
function sessionHook(ctx: ApiContext) {
  return async (request: FastifyRequest): Promise<void> => {
    const header = request.headers[SESSION_HEADER];
    const sessionToken = typeof header === 'string' ? header : undefined;
    if (!sessionToken) throw apiError(401, ERROR_CODES.UNAUTHORIZED, `not signed in; ${SIGN_IN}`);
    if (!ctx.sessions.use(sessionToken)) {
      recordWrongCredential(ctx, credentialId('session', sessionToken));
      throw apiError(401, ERROR_CODES.UNAUTHORIZED, `the session has ended (signed out, or unused for ${Math.round(ctx.sessions.idleSeconds / 60)} minutes) or is unknown; ${SIGN_IN}`);
    }
  };
}

/**
 * Settings that make the satellite run a program need the API key in the same request, not
 * only a session: a session is one browser tab's, the API key is the owner's.
 */
async function assertMayRunCommands(ctx: ApiContext, request: FastifyRequest, method: RpcMethod, input: unknown): Promise<void> {
  const refusal = commandRefusal(method, input);
  if (refusal === undefined) return;
  const key = presentedKey(request);
  if (key !== undefined && (await ctx.service.verifyApiKey(key))) return;
  if (key !== undefined) recordWrongCredential(ctx, credentialId('api-key', key));
  throw apiError(403, ERROR_CODES.FORBIDDEN, refusal, { field: API_KEY_HEADER });
}

/** Why this call needs the API key (it saves a program the satellite will run, files it will write, or trust it will grant), or undefined when it does not. */
function commandRefusal(method: RpcMethod, input: unknown): string | undefined {
  if (method === 'saveIssuingTemplate') {
    if (commandRunBy((input as { caSettings: Parameters<typeof commandRunBy>[0] }).caSettings) === undefined) return undefined;
    return "API key: a template whose dns-01 hook runs a program can be saved only with the satellite's API key; enter it below the hook command";
  }
  // An installation writes files anywhere the satellite may (and its actions run programs): the owner's key, not a tab's session.
  if (method === 'saveAutomation') return "API key: an installation writes files on this machine and may run programs, so it can be saved only with the satellite's API key; enter it above the buttons";
  // What every browser and program on the machine believes: the owner's decision, not a tab's.
  if (method === 'trustBuiltinRoot' || method === 'untrustBuiltinRoot') {
    return "API key: trusting the built-in CA changes the trust stores of the computer the satellite runs on, so it takes the satellite's API key; enter it in the dialog";
  }
  // Which key every certificate from now on is signed with, under the root this machine trusts: the owner's decision.
  if (method === 'newIssuingCa') return "API key: a new issuing CA changes what signs every certificate from now on, so it takes the satellite's API key; enter it in the dialog";
  // A playbook's actions are only known once it is read: importing one always needs the key.
  if (method === 'importPlaybook') return "API key: a playbook's after-install actions run programs, so a playbook can be imported only with the satellite's API key; enter it with the file";
  return undefined;
}

const RPC_METHODS = Object.keys(rpcInputSchemas);

/** The web UI's transport: the same RPC contract as Electron's IPC, the three downloads, sign-out. */
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
      await assertMayRunCommands(ctx, request, name, input);
      return (await ctx.service.call(name, input as never)) ?? {};
    });

    app.post('/ui/session/end', async (request, reply) => {
      ctx.sessions.end(request.headers[SESSION_HEADER] as string);
      return reply.code(204).send();
    });

    app.post('/ui/download/certificate', async (request, reply) => {
      const input = parseOr400(downloadCertificateInputSchema, request.body ?? {});
      return sendExport(reply, await ctx.service.exportCertificate(input));
    });

    app.post('/ui/download/keystore', async (request, reply) => {
      const input = parseOr400(downloadKeystoreInputSchema, request.body ?? {});
      return sendExport(reply, await ctx.service.exportKeystore(input));
    });

    // The browser saves what it receives, so handing the bytes out is the save: it is recorded
    // before the answer leaves, so the Services status the page reads next already shows it.
    app.post('/ui/download/dek-backup', async (request, reply) => {
      const input = parseOr400(downloadDekBackupInputSchema, request.body ?? {});
      const backup = await ctx.service.saveDekBackup(input, async (made) => made);
      return sendExport(reply, backup!);
    });
  };
}
