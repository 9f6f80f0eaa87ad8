import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fileLogger, type Logger } from '../core/log';
import type { SatelliteService } from '../core/service';
import type { CliOptions } from './cli-options';
import { PRODUCT_NAME } from './app-data-dir';
import { RESTORE_HINT } from './dek-commands';
import { createApiServer, type ApiServer } from './server';

export interface ServiceFactoryOptions {
  dataDir: string;
  dekStore: 'keychain' | 'file';
  dekPassphrase?: string;
  apiKey?: string;
  log: Logger;
}

export interface Headless {
  url: string;
  server: ApiServer;
  service: SatelliteService;
  /** Graceful stop: no new connections, in-flight requests finish, then the service closes. */
  shutdown(): Promise<void>;
}

/** out/web next to this checkout (src/main/api -> repository root). */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../../out/web', import.meta.url));

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

/** Loopback addresses: binding them keeps the API on this machine. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** What to say on stderr when --listen puts the API where other machines can reach it. */
export function exposureWarning(options: Pick<CliOptions, 'host' | 'listenExplicit'>): string | undefined {
  if (!options.listenExplicit || isLoopback(options.host)) return undefined;
  return `WARNING: --listen ${options.host} exposes the satellite's API beyond this machine over plain HTTP. Anyone who can reach it and holds the API key can request certificates and export keystores. Prefer the default 127.0.0.1 behind an SSH tunnel or a TLS proxy.`;
}

/** Starts the service and the API on it, prints where to reach them, writes the API key file. */
export async function runHeadless(options: CliOptions, createService: (o: ServiceFactoryOptions) => Promise<SatelliteService>, output: Output, version: string): Promise<Headless> {
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const log = fileLogger(join(options.dataDir, 'logs', 'satellite.log'));
  const warning = exposureWarning(options);
  if (warning) output.err(warning);
  const service = await createService({ dataDir: options.dataDir, dekStore: options.dekStore, dekPassphrase: options.dekPassphrase, apiKey: options.apiKey, log });
  const webRoot = options.webRoot ?? DEFAULT_WEB_ROOT;
  const server = createApiServer(service, { host: options.host, port: options.port, webRoot: existsSync(webRoot) ? webRoot : undefined, log, version });
  let url: string;
  try {
    url = await server.listen();
  } catch (error) {
    await service.close();
    throw error;
  }
  if (options.apiKeyFile) {
    const { apiKey } = await service.call('getApiKey', {});
    writeFileSync(options.apiKeyFile, apiKey + '\n', { mode: 0o600 });
    // writeFileSync keeps the mode of a file that already existed.
    chmodSync(options.apiKeyFile, 0o600);
  }
  log.log('info', 'headless satellite listening', { url, dataDir: options.dataDir });
  output.out(`${PRODUCT_NAME} listening on ${url}`);
  output.out(`Web UI sign-in (one-time link): ${url}/ui/login?token=${server.loginToken}`);
  output.out(
    options.apiKeyFile
      ? `API key written to ${options.apiKeyFile}`
      : options.apiKey
        ? 'API key: the one in SATELLITE_API_KEY'
        : 'API key: see Settings > API in the web UI, or restart with --api-key-file FILE',
  );
  output.out(`OpenAPI: ${url}/openapi.json`);
  const edge = await service.edgeInstance();
  if (edge.edgeStatus !== 'ACTIVE') {
    const missing = /^DEK missing/.test(edge.statusDetails);
    output.out(`Key generation service inactive: ${edge.statusDetails}.${missing ? ` Restore it: ${RESTORE_HINT}.` : ''}`);
  }

  let stopping: Promise<void> | undefined;
  return {
    url,
    server,
    service,
    shutdown: () =>
      (stopping ??= (async () => {
        log.log('info', 'headless satellite stopping');
        try {
          await server.close();
        } finally {
          await service.close();
        }
      })()),
  };
}


