import { automationRoutes } from './routes/automation-routes';
import { X509Certificate } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type https from 'node:https';
import type { Socket } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { ERROR_CODES } from '../../shared/error-codes';
import type { Logger } from '../core/common/log';
import type { SatelliteService } from '../core/service';
import { memoizedIdentity, type ApiContext } from './api-context';
import { mapError } from './error-mapping';
import { buildOpenApiDocument } from './openapi';
import { encodedBodyRefusal, keepReadingRefusedBody } from './refused-body';
import { RouteCatalogue } from './route-catalogue';
import { apiKeyHook } from './routes/cloud-auth';
import { cloudCertificateRoutes } from './routes/cloud-certificates';
import { cloudSettingsRoutes } from './routes/cloud-settings';
import { cloudGraphqlRoutes } from './routes/cloud-graphql';
import { uiLoginRoute, uiRoutes } from './routes/ui-routes';
import { AuthFailureLimiter, DEFAULT_AUTH_FAILURE_LIMITS, type AuthFailureLimits } from './security/auth-failure-limiter';
import { SECURITY_HEADERS } from './security/headers';
import { installSecurityHooks, sendMappedError } from './security/hooks';
import { HostPolicy } from './security/host-origin';
import { UiSessions } from './security/ui-sessions';
import { staticWebHandler } from './static-web';

export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

export interface ApiServerOptions {
  /** Address to bind; loopback unless the operator chose otherwise (--listen). */
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** The built web UI (out/web); without it GET / explains how to build it. */
  webRoot?: string;
  log: Logger;
  authFailureLimits?: AuthFailureLimits;
  bodyLimitBytes?: number;
  /** Shown in /openapi.json. */
  version?: string;
  /**
   * Serve HTTPS with the identity this gives (called again at its renewAt); plain HTTP without.
   * The certificate is sent with its issuer so clients need only trust the root.
   */
  tls?: () => Promise<ListenerIdentity>;
}

/** What an HTTPS listener presents. */
export interface ListenerIdentity {
  certificatePem: string;
  keyPem: string;
  /** Issuer first; the listener sends every one but a self-signed root. */
  chainPems: string[];
  /** When to ask `tls` for the next one (undefined: never). */
  renewAt?: Date;
}

/** setTimeout's longest wait (about 24.8 days); a later renewal is checked again then. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface ApiServer {
  /** Starts listening; resolves to the base URL, e.g. http://127.0.0.1:7443. */
  listen(): Promise<string>;
  /** Stops accepting, lets in-flight requests finish. Does not close the service. */
  close(): Promise<void>;
  /** One-time token of the sign-in link GET /ui/login?token=... (printed at start). */
  readonly loginToken: string;
  /** Every registered route (method, Fastify path), e.g. to check the OpenAPI document lists them all. */
  routes(): { method: string; url: string }[];
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/** A malformed HTTP message never reaches Fastify: answer it in the cloud's shape on the socket. */
function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const body = JSON.stringify({ errors: [{ code: ERROR_CODES.VALIDATION, message: `the HTTP request is malformed (${STATUS_CODES[status]}); send a well-formed HTTP/1.1 request` }] });
  const headers = Object.entries({ ...SECURITY_HEADERS, 'cache-control': 'no-store' }).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n${headers}\r\n${body}`);
  // end() only half-closes: a client that never closes its side would keep the descriptor
  // (FIN-WAIT-2) for minutes. Destroying at once would cut a client still sending its body off
  // before it reads the answer (EPIPE instead of 413), so give it a moment first.
  setTimeout(() => socket.destroy(), CLIENT_ERROR_LINGER_MS).unref();
}

/** How long a socket answered with a client error may stay open for its client to read the answer. */
const CLIENT_ERROR_LINGER_MS = 2000;

/**
 * Slow clients lose their connection, so a few thousand idle or trickling sockets cannot hold the
 * descriptors the API needs: headers must arrive within 10 s (checked every 2 s), a whole request
 * within 120 s, an idle keep-alive connection closes after 5 s.
 */
const HEADERS_TIMEOUT_MS = 10_000;
/** A connection that has sent no request this long after it opened is closed (Node's own timeouts start with the first byte). */
const FIRST_REQUEST_TIMEOUT_MS = 10_000;
const CONNECTIONS_CHECK_MS = 2_000;
const KEEP_ALIVE_TIMEOUT_MS = 5_000;
/**
 * Connections the kernel may hold for the event loop to accept. Node's default, 511, overflowed
 * under a burst of a thousand connections while the machine was busy: the ones past it wait for
 * the kernel's SYN-ACK retries (1, 3, 7, 15 s...) before they are even seen, so a client is
 * delayed by seconds and the idle-connection timeout starts that late. (Linux caps it at
 * net.core.somaxconn, 4096 by default.)
 */
const LISTEN_BACKLOG = 4096;

function isSelfSigned(pem: string): boolean {
  const certificate = new X509Certificate(pem);
  return certificate.subject === certificate.issuer && certificate.checkIssued(certificate);
}

export function createApiServer(service: SatelliteService, opts: ApiServerOptions): ApiServer {
  let closing = false;
  const hostPolicy = new HostPolicy(LOOPBACK.has(opts.host) ? undefined : opts.host);
  const catalogue = new RouteCatalogue();
  const sessions = new UiSessions();
  const loginToken = sessions.pendingLoginToken!;
  const ctx: ApiContext = {
    service,
    limiter: new AuthFailureLimiter(opts.authFailureLimits ?? DEFAULT_AUTH_FAILURE_LIMITS),
    sessions,
    log: opts.log,
    identity: memoizedIdentity(service),
  };

  const app: FastifyInstance = Fastify({
    logger: false,
    bodyLimit: opts.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    // Our own onRequest hook answers 503 in the cloud's shape while closing.
    return503OnClosing: false,
    requestTimeout: 120_000,
    routerOptions: { maxParamLength: 256 },
    clientErrorHandler: answerClientError,
    // Node would answer a missing Host itself (400, empty body); our Host check answers it in the cloud's shape.
    http: { requireHostHeader: false, headersTimeout: HEADERS_TIMEOUT_MS, connectionsCheckingInterval: CONNECTIONS_CHECK_MS },
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    // The certificate is set once the listener's identity is known (listen), and on each renewal.
    // ALPN: Node offers only http/1.1 and ends the handshake of a client that offers http/1.0
    // alone (curl -0: "no application protocol"); the HTTP/1.1 server answers 1.0 requests too.
    ...(opts.tls ? { https: { requireHostHeader: false, headersTimeout: HEADERS_TIMEOUT_MS, connectionsCheckingInterval: CONNECTIONS_CHECK_MS, ALPNProtocols: ['http/1.1', 'http/1.0'] } as https.ServerOptions } : {}),
    frameworkErrors: (error, _request, reply) => {
      sendMappedError(reply, mapError(error));
    },
  });

  // JSON bodies only: anything else is 415 before a handler runs.
  app.removeContentTypeParser('text/plain');
  app.addHook('onRoute', (route) => catalogue.add(route.method, route.url));
  installSecurityHooks(app, hostPolicy, () => closing);

  app.setErrorHandler((error, request, reply) => {
    const mapped = mapError(encodedBodyRefusal(request, error) ?? error);
    if (mapped.unexpected) {
      // The route pattern, never the URL: the login URL carries a token.
      const name = error instanceof Error ? error.name : typeof error;
      const message = error instanceof Error ? error.message : String(error);
      opts.log.log('error', 'api request failed', { route: request.routeOptions.url, method: request.method, error: name, detail: message });
    }
    keepReadingRefusedBody(request, reply, closing);
    return sendMappedError(reply, mapped);
  });
  app.setNotFoundHandler((request, reply) => sendMappedError(reply, mapError(catalogue.notFound(request.method, request.url))));

  app.register(async (cloud) => {
    cloud.addHook('onRequest', apiKeyHook(ctx));
    await cloud.register(cloudCertificateRoutes(ctx));
    await cloud.register(cloudSettingsRoutes(ctx));
    await cloud.register(cloudGraphqlRoutes(ctx));
    await cloud.register(automationRoutes(ctx));
  });
  app.register(uiLoginRoute(ctx));
  app.register(uiRoutes(ctx));

  let openApi: Record<string, unknown> | undefined;
  app.get('/openapi.json', async () => (openApi ??= buildOpenApiDocument(opts.version ?? '0.0.0')));

  // API-looking paths (any /vN/) never fall back to the web UI's index.html.
  const isApiPath = (url: string) => /^\/(outagedetection|v\d+|ui|graphql|openapi\.json)(\/|$|\?)/.test(url);
  const web = staticWebHandler(opts.webRoot, (request) => catalogue.notFound(request.method, request.url));
  app.get('/*', async (request, reply) => {
    if (isApiPath(request.url)) throw catalogue.notFound(request.method, request.url);
    return web(request, reply);
  });

  // Connections that never send a request are closed, so idle sockets cannot pile up and hold
  // every descriptor the process may open.
  const sawRequest = new WeakSet<object>();
  app.server.on('request', (request: { socket: object }) => sawRequest.add(request.socket));
  const closeIfStillIdle = (socket: Socket, idle: () => boolean) => {
    const timer = setTimeout(() => idle() && socket.destroy(), FIRST_REQUEST_TIMEOUT_MS);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  };
  app.server.on(opts.tls ? 'secureConnection' : 'connection', (socket: Socket) => closeIfStillIdle(socket, () => !sawRequest.has(socket)));
  // Before its TLS handshake a socket is not a secureConnection yet: one that sends nothing at all goes too.
  if (opts.tls) app.server.on('connection', (raw: Socket) => closeIfStillIdle(raw, () => raw.bytesRead === 0));

  let renewal: NodeJS.Timeout | undefined;
  const applyIdentity = async (): Promise<void> => {
    const identity = await opts.tls!();
    const issuers = identity.chainPems.filter((pem) => !isSelfSigned(pem));
    (app.server as unknown as https.Server).setSecureContext({ key: identity.keyPem, cert: [identity.certificatePem, ...issuers].join('') });
    if (!identity.renewAt) return;
    const wait = Math.min(Math.max(identity.renewAt.getTime() - Date.now(), 60_000), MAX_TIMER_MS);
    renewal = setTimeout(() => {
      applyIdentity().then(
        () => opts.log.log('info', 'api: TLS certificate checked for renewal'),
        (error: unknown) => opts.log.log('error', 'api: TLS certificate renewal failed; the current one stays until it works', { message: (error as Error).message }),
      );
    }, wait);
    renewal.unref();
  };

  return {
    loginToken,
    routes: () => [...catalogue.registered],
    async listen() {
      if (opts.tls) await applyIdentity();
      await app.listen({ host: opts.host, port: opts.port, backlog: LISTEN_BACKLOG });
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : opts.port;
      hostPolicy.setPort(port);
      return `${opts.tls ? 'https' : 'http'}://${urlHost(opts.host)}:${port}`;
    },
    async close() {
      closing = true;
      clearTimeout(renewal);
      await app.close();
    },
  };
}
