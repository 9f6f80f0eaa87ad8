import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { listEntries, nameConstraintsProblem } from '../../shared/name-constraints';
import { DEFAULT_PKI_PORT } from '../core/ca/builtin/pki-paths';
import { defaultDataDir } from './app-data-dir';

export const DEFAULT_PORT = 7443;

/** The environment variable that holds the DEK backup file's passphrase (never the command line, where `ps` shows it). */
export const DEK_BACKUP_PASSPHRASE_ENV = 'SATELLITE_DEK_BACKUP_PASSPHRASE';

/** `--backup-dek FILE | --restore-dek FILE | --rotate-dek`: one DEK operation instead of the server. */
export type DekCommand = { kind: 'backup'; file: string } | { kind: 'restore'; file: string } | { kind: 'rotate' };

/** `--install-root | --uninstall-root`: the built-in CA's root into or out of this computer's trust stores. */
export type TrustCommand = 'install' | 'uninstall';

/** What to run instead of `npm run serve` when the key generation service is inactive. */
export const RESTORE_HINT = `npm run serve -- --restore-dek FILE, with the backup passphrase in ${DEK_BACKUP_PASSPHRASE_ENV}`;

export interface CliOptions {
  help: boolean;
  /** --check: run SQLite's check of the inventory, print what it found, exit (0 sound, 1 damaged). */
  check: boolean;
  dataDir: string;
  port: number;
  /** The bind address; 127.0.0.1 unless --listen was given. */
  host: string;
  /** True when --listen was given (the operator chose exposure; we warn). */
  listenExplicit: boolean;
  apiKeyFile?: string;
  dekStore: 'keychain' | 'file';
  dekPassphrase?: string;
  apiKey?: string;
  webRoot?: string;
  /** How the API listener does TLS: the built-in CA's certificate (default), the user's files, or none (--no-tls). */
  tls: TlsChoice;
  /** --tls-ca-file: where to write the PEM of the CA chain that signs the built-in listener certificate. */
  tlsCaFile?: string;
  /** --backup-dek / --restore-dek / --rotate-dek: do that one thing, then exit instead of serving. */
  dekCommand?: DekCommand;
  /** SATELLITE_DEK_BACKUP_PASSPHRASE, for --backup-dek and --restore-dek. Never logged. */
  dekBackupPassphrase?: string;
  trustCommand?: TrustCommand;
  /** --trust-home, --trust-sysroot, --trust-java-cacerts: other stores than this user's and this machine's (a chroot, a container image, a test). */
  trustTargets?: { home?: string; systemRoot?: string; javaCacerts?: string };
  /** --ca-permitted-dns / --ca-permitted-ip: name constraints for a new built-in CA (or, with --new-issuing-ca, for its new issuing CA). */
  caNameConstraints?: { dns: string[]; ip: string[] };
  /** --new-issuing-ca: the root signs a new issuing CA (with --ca-permitted-* as its constraints), then exit. */
  newIssuingCa?: { nameConstraints?: { dns: string[]; ip: string[] } };
  /** The PKI listener (CRL, CA certificates, OCSP: public, plain HTTP); undefined with --no-pki. */
  pki?: { host: string; port: number; baseUrl?: string };
  /** --playbook: VCert playbooks whose tasks the satellite issues, installs and keeps renewed. */
  playbooks: string[];
  /** --scheduler-tick: how often the renewal and install scheduler looks, in ms. */
  schedulerTickMs?: number;
}

export { DEFAULT_PKI_PORT };

export type TlsChoice = { kind: 'builtin' } | { kind: 'files'; certFile: string; keyFile: string } | { kind: 'none' };

/** A bad flag: the message names the flag, the value and the fix. */
export class CliUsageError extends Error {
  override name = 'CliUsageError';
}

export const USAGE = `Usage: npm run serve -- [options]

  --data-dir DIR        where the satellite keeps its store, vault and logs (default: ${defaultDataDir()})
  --port N              TCP port, 0 for any free port (default: ${DEFAULT_PORT})
  --listen ADDR         bind address (default 127.0.0.1); anything else exposes the API beyond this machine
  --api-key-file FILE   write the API key to FILE (mode 0600)
  --tls-ca-file FILE    write the PEM of the CA chain that signs the HTTPS listener's certificate to FILE
                        (trust it in clients: curl --cacert FILE, REQUESTS_CA_BUNDLE=FILE, NODE_EXTRA_CA_CERTS=FILE)
  --tls-cert FILE       serve HTTPS with your own certificate (PEM, with its chain) ...
  --tls-key FILE        ... and its unencrypted private key (PEM), instead of one from the built-in CA
  --no-tls              serve plain HTTP (only on loopback, for clients that cannot do TLS)
  --dek-store STORE     keychain (default) or file; file reads its passphrase from SATELLITE_DEK_PASSPHRASE
  --web-root DIR        the built web UI (default: out/web)
  --backup-dek FILE     write a backup of the DEK to FILE (mode 0600), then exit
  --restore-dek FILE    restore the DEK from the backup FILE (after a lost keychain), then exit
  --rotate-dek          make a new DEK, rewrap every stored key and secret under it, then exit
  --pki-listen A[:P]    where the PKI listener serves the built-in CA's CRL, certificates and OCSP
                        (plain HTTP, public, no API key; default 127.0.0.1:${DEFAULT_PKI_PORT})
  --pki-base-url URL    the http:// URL certificates name for them (default: http://the --pki-listen address)
  --no-pki              no PKI listener: certificates then name no CRL or OCSP location
  --ca-permitted-dns D1,D2  a new built-in CA may issue only for these DNS subtrees (name constraints,
                        in its certificate; e.g. internal.example.com) ...
  --ca-permitted-ip R1,R2   ... and these IP ranges (CIDR, e.g. 10.0.0.0/8; none given: no IP at all)
  --new-issuing-ca      the built-in CA's root signs a new issuing CA (a new key; with --ca-permitted-dns and
                        --ca-permitted-ip, constrained to them), which issues from then on, then exit; the one
                        it replaces still answers CRL and OCSP for what it issued (nothing new to trust)
  --install-root        trust the built-in CA on this computer (like mkcert -install): the system store
                        (Debian/Ubuntu; needs root), Chromium's and Firefox's NSS databases, Java's cacerts
  --uninstall-root      remove exactly what --install-root added
  --trust-home DIR, --trust-sysroot DIR, --trust-java-cacerts FILE
                        other stores than this user's and this machine's (a chroot, an image, a test),
                        for --install-root and the web UI's "Trust on this computer"
  --playbook FILE       a VCert playbook (YAML): its certificateTasks issued here, installed where its
                        installations say and renewed before renewBefore; read again at every start
  --scheduler-tick T    how often the renewal and install scheduler looks (default 60s; e.g. 5s, 2m)
  --check               check the inventory file (SQLite quick_check), say what was found, then exit (1 if damaged)
  -h, --help            this text

Environment: SATELLITE_API_KEY sets the API key; SATELLITE_DEK_PASSPHRASE unlocks --dek-store file;
${DEK_BACKUP_PASSPHRASE_ENV} is the passphrase of the DEK backup file (--backup-dek, --restore-dek).`;

export function parseCliOptions(argv: string[], env: NodeJS.ProcessEnv): CliOptions {
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: 'boolean', short: 'h' },
        'data-dir': { type: 'string' },
        port: { type: 'string' },
        listen: { type: 'string' },
        'api-key-file': { type: 'string' },
        'dek-store': { type: 'string' },
        'web-root': { type: 'string' },
        'backup-dek': { type: 'string' },
        'restore-dek': { type: 'string' },
        'rotate-dek': { type: 'boolean' },
        'tls-ca-file': { type: 'string' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        'no-tls': { type: 'boolean' },
        check: { type: 'boolean' },
        'pki-listen': { type: 'string' },
        'pki-base-url': { type: 'string' },
        'no-pki': { type: 'boolean' },
        'install-root': { type: 'boolean' },
        'ca-permitted-dns': { type: 'string' },
        'ca-permitted-ip': { type: 'string' },
        'new-issuing-ca': { type: 'boolean' },
        'uninstall-root': { type: 'boolean' },
        'trust-home': { type: 'string' },
        'trust-sysroot': { type: 'string' },
        'trust-java-cacerts': { type: 'string' },
        playbook: { type: 'string', multiple: true },
        'scheduler-tick': { type: 'string' },
      },
    }));
  } catch (error) {
    throw new CliUsageError(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
  }
  const str = (name: string) => values[name] as string | undefined;

  const portText = str('port');
  const port = portText === undefined ? DEFAULT_PORT : Number(portText);
  if (portText !== undefined && (!/^\d+$/.test(portText) || port > 65535)) {
    throw new CliUsageError(`--port "${portText}" is not a port number; use an integer from 0 to 65535 (0 picks a free port).`);
  }

  const listen = str('listen');
  if (listen !== undefined && listen !== 'localhost' && isIP(listen) === 0) {
    throw new CliUsageError(`--listen "${listen}" is not an IP address; use an address of this machine such as 127.0.0.1, ::1 or 0.0.0.0.`);
  }

  const dekStore = str('dek-store') ?? 'keychain';
  if (dekStore !== 'keychain' && dekStore !== 'file') {
    throw new CliUsageError(`--dek-store "${dekStore}" is not a DEK store; use keychain (the OS keychain) or file (a passphrase-wrapped file in the data directory).`);
  }
  const dekPassphrase = env.SATELLITE_DEK_PASSPHRASE;
  // --check reads the inventory only: it needs no DEK.
  if (dekStore === 'file' && !dekPassphrase && values.check !== true) {
    throw new CliUsageError('--dek-store file needs the DEK passphrase: set SATELLITE_DEK_PASSPHRASE in the environment (never on the command line).');
  }

  const dataDir = str('data-dir');
  if (dataDir === '') throw new CliUsageError('--data-dir "" is empty; give a directory path.');
  const apiKeyFile = str('api-key-file');
  if (apiKeyFile === '') throw new CliUsageError('--api-key-file "" is empty; give a file path.');
  const apiKey = env.SATELLITE_API_KEY || undefined;
  const dekCommand = parseDekCommand(str('backup-dek'), str('restore-dek'), values['rotate-dek'] === true);
  const dekBackupPassphrase = env[DEK_BACKUP_PASSPHRASE_ENV] || undefined;
  if (dekCommand && dekCommand.kind !== 'rotate' && !dekBackupPassphrase) {
    throw new CliUsageError(`--${dekCommand.kind}-dek needs the backup passphrase: set ${DEK_BACKUP_PASSPHRASE_ENV} in the environment (never on the command line).`);
  }

  const tls = parseTlsChoice(str('tls-cert'), str('tls-key'), values['no-tls'] === true);
  const tlsCaFile = str('tls-ca-file');
  if (tlsCaFile === '') throw new CliUsageError('--tls-ca-file "" is empty; give a file path.');
  if (tlsCaFile !== undefined && tls.kind !== 'builtin') {
    throw new CliUsageError(`--tls-ca-file writes the built-in CA that signs the listener's certificate; it cannot be used with ${tls.kind === 'none' ? '--no-tls' : '--tls-cert'}.`);
  }
  if (tls.kind === 'none' && listen !== undefined && !['127.0.0.1', '::1', 'localhost'].includes(listen)) {
    throw new CliUsageError(`--no-tls with --listen ${listen} would send the API key and private keys over the network in clear; drop --no-tls, or listen on 127.0.0.1.`);
  }

  const pki = parsePki(str('pki-listen'), str('pki-base-url'), values['no-pki'] === true);
  if (values['install-root'] === true && values['uninstall-root'] === true) throw new CliUsageError('--install-root and --uninstall-root were both given; run one at a time.');
  const trustCommand: TrustCommand | undefined = values['install-root'] === true ? 'install' : values['uninstall-root'] === true ? 'uninstall' : undefined;
  const trustPath = (name: string) => (str(name) === undefined ? undefined : resolve(str(name)!));
  const trustTargets = { home: trustPath('trust-home'), systemRoot: trustPath('trust-sysroot'), javaCacerts: trustPath('trust-java-cacerts') };

  if (values['new-issuing-ca'] === true) {
    const other = [values.check === true && '--check', trustCommand && `--${trustCommand}-root`, dekCommand && (dekCommand.kind === 'rotate' ? '--rotate-dek' : `--${dekCommand.kind}-dek`)].find(Boolean);
    if (other) throw new CliUsageError(`--new-issuing-ca and ${other} were both given; run one command at a time.`);
  }

  const playbooks = ((values.playbook as string[] | undefined) ?? []).map((file) => {
    if (file === '') throw new CliUsageError('--playbook "" is empty; give the path of a VCert playbook (YAML).');
    return resolve(file);
  });
  const tickText = str('scheduler-tick');
  const tick = tickText === undefined ? undefined : /^(\d+)(ms|s|m)$/.exec(tickText);
  if (tickText !== undefined && (!tick || Number(tick[1]) === 0)) throw new CliUsageError(`--scheduler-tick "${tickText}" is not a duration; use e.g. 5s, 30s or 2m.`);
  const schedulerTickMs = tick ? Number(tick[1]) * { ms: 1, s: 1000, m: 60_000 }[tick[2] as 'ms' | 's' | 'm'] : undefined;

  return {
    help: values.help === true,
    playbooks,
    ...(schedulerTickMs !== undefined ? { schedulerTickMs } : {}),
    check: values.check === true,
    pki,
    trustCommand,
    trustTargets,
    // With --new-issuing-ca the constraints are the new issuing CA's; the CA is opened as it is.
    ...(values['new-issuing-ca'] === true
      ? { newIssuingCa: { nameConstraints: parseNameConstraints(str('ca-permitted-dns'), str('ca-permitted-ip')) } }
      : { caNameConstraints: parseNameConstraints(str('ca-permitted-dns'), str('ca-permitted-ip')) }),
    tls,
    tlsCaFile: tlsCaFile === undefined ? undefined : resolve(tlsCaFile),
    dataDir: resolve(dataDir ?? defaultDataDir()),
    port,
    host: listen ?? '127.0.0.1',
    listenExplicit: listen !== undefined,
    apiKeyFile: apiKeyFile === undefined ? undefined : resolve(apiKeyFile),
    dekStore,
    dekPassphrase: dekStore === 'file' ? dekPassphrase : undefined,
    apiKey,
    webRoot: str('web-root') === undefined ? undefined : resolve(str('web-root')!),
    dekCommand,
    dekBackupPassphrase: dekCommand && dekCommand.kind !== 'rotate' ? dekBackupPassphrase : undefined,
  };
}

function parseNameConstraints(dns: string | undefined, ip: string | undefined): CliOptions['caNameConstraints'] {
  if (dns === undefined && ip === undefined) return undefined;
  const constraints = { dns: listEntries(dns ?? ''), ip: listEntries(ip ?? '') };
  const problem = nameConstraintsProblem(constraints);
  if (problem) throw new CliUsageError(`--ca-permitted-dns/--ca-permitted-ip: ${problem}.`);
  return constraints;
}

function parsePki(listen: string | undefined, baseUrl: string | undefined, off: boolean): CliOptions['pki'] {
  if (off && (listen !== undefined || baseUrl !== undefined)) throw new CliUsageError('--no-pki and --pki-listen/--pki-base-url were both given; pick one.');
  if (off) return undefined;
  // ADDRESS[:PORT]; an IPv6 address in brackets: [::1]:7480.
  const match = /^(?:\[([^\]]+)\]|([^:]+))(?::(\d+))?$/.exec(listen ?? `127.0.0.1:${DEFAULT_PKI_PORT}`);
  const host = match?.[1] ?? match?.[2];
  const port = match?.[3] === undefined ? DEFAULT_PKI_PORT : Number(match[3]);
  if (!host || isIP(host) === 0 || port > 65535) {
    throw new CliUsageError(`--pki-listen "${listen}" is not ADDRESS[:PORT]; use e.g. 127.0.0.1:${DEFAULT_PKI_PORT} or [::1]:${DEFAULT_PKI_PORT} (port 0 picks a free one).`);
  }
  if (baseUrl !== undefined && !/^http:\/\/[^/\s]+(\/[^\s]*)?$/.test(baseUrl)) {
    throw new CliUsageError(`--pki-base-url "${baseUrl}" is not an http:// URL; CRL and OCSP clients fetch them over plain HTTP (e.g. http://pki.example.com).`);
  }
  return { host, port, baseUrl };
}

function parseTlsChoice(certFile: string | undefined, keyFile: string | undefined, noTls: boolean): TlsChoice {
  if (noTls && (certFile !== undefined || keyFile !== undefined)) throw new CliUsageError('--no-tls and --tls-cert/--tls-key were both given; pick one.');
  if (noTls) return { kind: 'none' };
  if ((certFile === undefined) !== (keyFile === undefined)) {
    throw new CliUsageError(`${certFile === undefined ? '--tls-key' : '--tls-cert'} was given without ${certFile === undefined ? '--tls-cert' : '--tls-key'}; give both files, or neither to use the built-in CA.`);
  }
  if (certFile === '' || keyFile === '') throw new CliUsageError('--tls-cert and --tls-key need file paths.');
  return certFile !== undefined && keyFile !== undefined ? { kind: 'files', certFile: resolve(certFile), keyFile: resolve(keyFile) } : { kind: 'builtin' };
}

function parseDekCommand(backup: string | undefined, restore: string | undefined, rotate: boolean): DekCommand | undefined {
  const given = [backup !== undefined && '--backup-dek', restore !== undefined && '--restore-dek', rotate && '--rotate-dek'].filter(Boolean);
  if (given.length > 1) throw new CliUsageError(`${given.join(' and ')} were both given; run one DEK command at a time.`);
  if (backup === '' || restore === '') throw new CliUsageError(`${backup === '' ? '--backup-dek' : '--restore-dek'} "" is empty; give a file path.`);
  if (backup !== undefined) return { kind: 'backup', file: resolve(backup) };
  if (restore !== undefined) return { kind: 'restore', file: resolve(restore) };
  return rotate ? { kind: 'rotate' } : undefined;
}
