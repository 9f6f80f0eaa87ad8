import { createPrivateKey, X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { satelliteLogger, type Logger } from '../core/common/log';
import { startPkiServer, type PkiServer } from './pki-server';
import { splitCertificates } from '../core/pki/pem';
import type { SatelliteService } from '../core/service';
import { RESTORE_HINT, type CliOptions } from './cli-options';
import type { Output, ServiceFactoryOptions } from './cli-run';
import { PRODUCT_NAME } from './app-data-dir';
import { createApiServer, type ApiServer, type ListenerIdentity } from './server';

export interface Headless {
  url: string;
  server: ApiServer;
  service: SatelliteService;
  /** Graceful stop: no new connections, in-flight requests finish, then the service closes. */
  shutdown(): Promise<void>;
}

/** out/web next to this checkout (src/main/api -> repository root). */
export type { Output, ServiceFactoryOptions };

export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../../out/web', import.meta.url));

/** Loopback addresses: binding them keeps the API on this machine. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** What to say on stderr when --listen puts the API where other machines can reach it. */
export function exposureWarning(options: Pick<CliOptions, 'host' | 'listenExplicit'>): string | undefined {
  if (!options.listenExplicit || isLoopback(options.host)) return undefined;
  return `WARNING: --listen ${options.host} exposes the satellite's API beyond this machine. Anyone who can reach it and holds the API key can request certificates and export keystores. Prefer the default 127.0.0.1 behind an SSH tunnel.`;
}

/** A certificate and key of the user's (--tls-cert, --tls-key), read and checked against each other; errors name the file. */
function identityFromFiles(certFile: string, keyFile: string): ListenerIdentity {
  const read = (file: string, what: string) => {
    try {
      return readFileSync(file, 'utf8');
    } catch (error) {
      throw new Error(`${what} ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); give a readable PEM file`, { cause: error });
    }
  };
  const pems = splitCertificates(read(certFile, '--tls-cert'));
  if (pems.length === 0) throw new Error(`--tls-cert ${certFile} holds no PEM certificate; give the server certificate (and its chain) in PEM`);
  const keyPem = read(keyFile, '--tls-key');
  let matches: boolean;
  try {
    matches = new X509Certificate(pems[0]!).checkPrivateKey(createPrivateKey(keyPem));
  } catch (error) {
    throw new Error(`--tls-key ${keyFile} is not an unencrypted PEM private key (${(error as Error).message}); decrypt it with openssl pkey -in KEY -out KEY.plain`, { cause: error });
  }
  if (!matches) throw new Error(`--tls-key ${keyFile} is not the key of the certificate in --tls-cert ${certFile}; give the matching pair`);
  return { certificatePem: pems[0]!, keyPem, chainPems: pems.slice(1) };
}

/**
 * How the listener does TLS: the built-in CA's certificate unless the user gave one or chose
 * --no-tls. Without the DEK there is no built-in certificate: a loopback listener then serves
 * plain HTTP (so Services can say what is wrong) and says so; any other address refuses to start.
 */
async function listenerTls(options: CliOptions, service: SatelliteService, output: Output): Promise<(() => Promise<ListenerIdentity>) | undefined> {
  if (options.tls.kind === 'none') return undefined;
  if (options.tls.kind === 'files') {
    const { certFile, keyFile } = options.tls;
    identityFromFiles(certFile, keyFile);
    return async () => identityFromFiles(certFile, keyFile);
  }
  try {
    await service.tlsServerIdentity(options.host);
  } catch (error) {
    const reason = (error as Error).message;
    if (!isLoopback(options.host)) throw new Error(`HTTPS needs a certificate from the built-in CA, which is unavailable (${reason}); fix that, or give --tls-cert and --tls-key`, { cause: error });
    output.err(`WARNING: serving plain HTTP on ${options.host}: the built-in CA cannot issue the listener's certificate, because the key generation service is inactive (what to do is below). Once it is active, the next start serves HTTPS.`);
    return undefined;
  }
  return () => service.tlsServerIdentity(options.host);
}

/**
 * Binds the PKI listener before the satellite opens, so its URL can go into the certificates the
 * built-in CA issues. A port in use is not fatal: certificates then name no CRL or OCSP location.
 */
async function startPki(options: CliOptions, log: Logger, output: Output): Promise<PkiServer | undefined> {
  if (!options.pki) return undefined;
  try {
    return await startPkiServer({ host: options.pki.host, port: options.pki.port, log });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    output.err(
      `WARNING: the PKI listener could not listen on ${options.pki.host}:${options.pki.port} (${code}): certificates issued now name no CRL or OCSP location. Free the port, or give --pki-listen ADDRESS:PORT (or --no-pki to say you do not want it).`,
    );
    return undefined;
  }
}

/**
 * --playbook: each file's tasks issued, installed and kept renewed; read again at every start so the
 * automations follow the file. A playbook that cannot be used stops the start, saying why.
 */
async function importPlaybooks(files: readonly string[], service: SatelliteService, output: Output): Promise<void> {
  if (files.length === 0) return;
  // Without the DEK nothing can be issued or installed: the satellite still starts, to say why on Services.
  const { keyGeneration } = await service.call('getServicesStatus', {});
  if (!keyGeneration.active) {
    output.err(`WARNING: --playbook ${files.join(', ')} not read now: the key generation service is inactive (${keyGeneration.reason}). Automations already set up wait for it too; the playbook is read at the next start.`);
    return;
  }
  for (const file of files) {
    let yaml: string;
    try {
      yaml = readFileSync(file, 'utf8');
    } catch (error) {
      throw new Error(`--playbook ${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { cause: error });
    }
    let imported;
    try {
      imported = await service.call('importPlaybook', { yaml, fileName: file });
    } catch (error) {
      throw new Error(`--playbook ${file}: ${(error as Error).message}`, { cause: error });
    }
    for (const note of imported.notes) output.out(`Playbook ${file}: note: ${note}`);
    for (const a of imported.automations) {
      const result = !a.lastResult ? 'not installed yet' : a.lastResult.ok ? `installed: ${a.lastResult.message}` : `FAILED: ${a.lastResult.message} (tried again at ${a.nextAttemptAt})`;
      output.out(`Playbook ${file}: task "${a.name}" certificate ${a.certificateId}, ${result}; next renewal ${a.nextRenewalAt ?? 'not scheduled'}`);
    }
  }
}

/** Starts the service and the API on it, prints where to reach them, writes the API key file. */
export async function runHeadless(options: CliOptions, createService: (o: ServiceFactoryOptions) => Promise<SatelliteService>, output: Output, version: string): Promise<Headless> {
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const log = satelliteLogger(options.dataDir);
  const warning = exposureWarning(options);
  if (warning) output.err(warning);
  const pki = await startPki(options, log, output);
  let service: SatelliteService;
  try {
    service = await createService({
      dataDir: options.dataDir,
      dekStore: options.dekStore,
      dekPassphrase: options.dekPassphrase,
      apiKey: options.apiKey,
      log,
      holder: 'the headless satellite',
      pkiBaseUrl: pki ? (options.pki?.baseUrl ?? pki.url) : undefined,
      caNameConstraints: options.caNameConstraints,
      automationTickMs: options.schedulerTickMs,
      trustStores: options.trustTargets,
    });
  } catch (error) {
    await pki?.close();
    throw error;
  }
  pki?.serve(service);
  const webRoot = options.webRoot ?? DEFAULT_WEB_ROOT;
  let url: string;
  let server: ApiServer;
  try {
    const tls = await listenerTls(options, service, output);
    server = createApiServer(service, { host: options.host, port: options.port, webRoot: existsSync(webRoot) ? webRoot : undefined, log, version, tls });
    url = await server.listen();
    if (options.tlsCaFile && tls) {
      const ca = await service.call('getBuiltinCa', {});
      writeFileSync(options.tlsCaFile, [...new Set([...ca.chainPems, ca.rootPem])].join(''), { mode: 0o644 });
      output.out(`TLS: the CA that signs this listener's certificate written to ${options.tlsCaFile} (curl --cacert ${options.tlsCaFile}; REQUESTS_CA_BUNDLE=${options.tlsCaFile})`);
    }
  } catch (error) {
    await service.close();
    await pki?.close();
    throw error;
  }
  if (options.apiKeyFile) {
    const file = options.apiKeyFile;
    const write = (apiKey: string) => {
      writeFileSync(file, apiKey + '\n', { mode: 0o600 });
      // writeFileSync keeps the mode of a file that already existed.
      chmodSync(file, 0o600);
    };
    write((await service.call('getApiKey', {})).apiKey);
    // Scripts read the file: after a rotation (Settings, web UI) it holds the key that works.
    service.onApiKeyRotated((apiKey) => {
      try {
        write(apiKey);
        log.log('info', 'api key rotated; key file rewritten', { file });
      } catch (error) {
        log.log('error', 'api key rotated but the key file could not be rewritten', { file, message: (error as Error).message });
      }
    });
  }
  // Before the "listening" line, which scripts wait for: the playbook's certificates are in place by then.
  try {
    await importPlaybooks(options.playbooks, service, output);
  } catch (error) {
    await server.close();
    await pki?.close();
    await service.close();
    throw error;
  }
  log.log('info', 'headless satellite listening', { url, dataDir: options.dataDir });
  if (pki) output.out(`PKI (the built-in CA's CRL, CA certificates and OCSP, public): ${pki.url}/pki/ (certificates name ${options.pki?.baseUrl ?? pki.url})`);
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
  const { keyGeneration } = await service.call('getServicesStatus', {});
  if (!keyGeneration.active) {
    const missing = /^DEK missing/.test(keyGeneration.reason);
    output.out(`Key generation service inactive: ${keyGeneration.reason}.`);
    output.out(`What to do: ${missing ? `restore it with ${RESTORE_HINT}.` : (keyGeneration.nextStep ?? 'see Services in the web UI.')}`);
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
          await pki?.close();
        } finally {
          await service.close();
        }
      })()),
  };
}


