import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { TrustStep } from '../../../shared/trust';
import { commandEnvironment } from '../commands/command-environment';

// "Trust this CA on this computer", as mkcert -install does it: the root goes into the stores
// clients read (the OS store, the NSS databases of Chromium and Firefox, Java's cacerts), each step
// says what it did or why it skipped, and uninstall removes exactly what install added. The tools
// run with a minimal environment (no SATELLITE_* variable) and a timeout.

const run = promisify(execFile);
const TIMEOUT_MS = 60_000;

/** Where the stores are: the real ones by default; tests point every one at a throwaway copy. */
export interface TrustTargets {
  /** The home whose NSS databases are used (~/.pki/nssdb, ~/.mozilla/firefox/<profile>). */
  home: string;
  /** Debian's update-ca-certificates --sysroot ('' for the machine itself). */
  systemRoot: string;
  /** Java's cacerts keystore, if a JDK is here. */
  javaCacerts?: string;
  /** For the system store: whether this process may write it (root). */
  isRoot: boolean;
}


/** What install added, so uninstall removes that and nothing else. */
export interface TrustRecord {
  nickname: string;
  system?: string;
  nss: string[];
  java?: string;
  /**
   * Stores an install was about to change when it was written, not yet known to hold the root:
   * a kill there leaves them here, so uninstall still looks in them. Never shown as trusted.
   */
  pending?: { system?: string; nss: string[]; java?: string };
}

/** Called right before a store is changed, so what may be added there is on record first. */
export type BeforeTrustChange = (store: TrustStep['store'], where: string) => void;

async function has(command: string): Promise<boolean> {
  try {
    await run('sh', ['-c', `command -v ${command}`], { timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}

const env = () => commandEnvironment({});

/** The name the root goes by in every store: stable for one root, distinct for two satellites. */
export function trustNickname(rootPem: string): string {
  return `Keypair Satellite root ${createHash('sha256').update(rootPem.replace(/\r\n/g, '\n').trim()).digest('hex').slice(0, 12)}`;
}

/** NSS databases under `home`: Chromium's (~/.pki/nssdb) and each Firefox profile's, where they exist. */
export function nssDatabases(home: string): string[] {
  const found: string[] = [];
  const chromium = join(home, '.pki', 'nssdb');
  if (existsSync(join(chromium, 'cert9.db'))) found.push(chromium);
  const firefox = join(home, '.mozilla', 'firefox');
  if (existsSync(firefox)) {
    for (const profile of readdirSync(firefox)) {
      const dir = join(firefox, profile);
      if (statSync(dir).isDirectory() && existsSync(join(dir, 'cert9.db'))) found.push(dir);
    }
  }
  return found;
}

/** Java's cacerts: the one the JDK on PATH uses, where it exists. */
export function defaultJavaCacerts(): string | undefined {
  for (const candidate of ['/etc/ssl/certs/java/cacerts', process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'lib', 'security', 'cacerts') : '']) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  return undefined;
}

export function defaultTrustTargets(): TrustTargets {
  return { home: process.env.HOME ?? '', systemRoot: '', javaCacerts: defaultJavaCacerts(), isRoot: process.getuid?.() === 0 };
}

/** Stores pointed elsewhere than this user's and this machine's (a chroot, a container image, a test). */
export type TrustStoreOverrides = Partial<Pick<TrustTargets, 'home' | 'systemRoot' | 'javaCacerts'>>;

/** This computer's stores, with the ones `overrides` names pointed there instead. */
export function trustTargetsWith(overrides: TrustStoreOverrides = {}): TrustTargets {
  const defaults = defaultTrustTargets();
  return {
    home: overrides.home ?? defaults.home,
    systemRoot: overrides.systemRoot ?? defaults.systemRoot,
    javaCacerts: overrides.javaCacerts ?? defaults.javaCacerts,
    isRoot: defaults.isRoot,
  };
}

function systemCertificatePath(targets: TrustTargets, nickname: string): string {
  return join(targets.systemRoot || '/', 'usr', 'local', 'share', 'ca-certificates', `${nickname.replace(/\s+/g, '-').toLowerCase()}.crt`);
}

async function updateCaCertificates(targets: TrustTargets, fresh: boolean): Promise<void> {
  const args = [...(targets.systemRoot ? ['--sysroot', targets.systemRoot] : []), ...(fresh ? ['--fresh'] : [])];
  await run('update-ca-certificates', args, { timeout: TIMEOUT_MS, env: env() });
}

/** Puts the root into every store it can; each step says what happened. */
export async function installRoot(rootPem: string, targets: TrustTargets, beforeChange: BeforeTrustChange = () => undefined): Promise<{ steps: TrustStep[]; record: TrustRecord }> {
  const nickname = trustNickname(rootPem);
  const record: TrustRecord = { nickname, nss: [] };
  const steps: TrustStep[] = [];

  // The OS store (Debian and Ubuntu: update-ca-certificates; what curl, OpenSSL and most programs read).
  const systemFile = systemCertificatePath(targets, nickname);
  if (!(await has('update-ca-certificates'))) {
    steps.push({ store: 'system', where: 'the system store', outcome: 'skipped', detail: 'update-ca-certificates is not here (Debian and Ubuntu have it: apt-get install ca-certificates); on Fedora or Arch use trust anchor, on macOS security add-trusted-cert, on Windows certutil -addstore Root, with the root from Services.' });
  } else if (!targets.isRoot && !targets.systemRoot) {
    steps.push({ store: 'system', where: systemFile, outcome: 'skipped', detail: `writing the system store needs root (the other stores are done as you): run sudo npm run serve -- --install-root from a checkout, or copy the root (Services > Download root certificate) to ${systemFile} and run sudo update-ca-certificates.` });
  } else {
    try {
      mkdirSync(dirname(systemFile), { recursive: true });
      beforeChange('system', systemFile);
      writeFileSync(systemFile, rootPem.endsWith('\n') ? rootPem : `${rootPem}\n`, { mode: 0o644 });
      await updateCaCertificates(targets, false);
      record.system = systemFile;
      steps.push({ store: 'system', where: systemFile, outcome: 'done', detail: 'added, and update-ca-certificates rebuilt the bundle programs read.' });
    } catch (error) {
      steps.push({ store: 'system', where: systemFile, outcome: 'failed', detail: `update-ca-certificates failed: ${(error as Error).message.split('\n')[0]}` });
    }
  }

  // NSS: Chromium and Firefox on Linux read these, not the OS store.
  const databases = nssDatabases(targets.home);
  if (!(await has('certutil'))) {
    steps.push({ store: 'nss', where: 'Chromium and Firefox', outcome: 'skipped', detail: 'certutil is not here: apt-get install libnss3-tools, then install again.' });
  } else if (databases.length === 0) {
    steps.push({ store: 'nss', where: join(targets.home, '.pki', 'nssdb'), outcome: 'skipped', detail: 'no NSS database under this home (Chromium and Firefox make one when they first run); start the browser once, then install again.' });
  } else {
    for (const db of databases) {
      // certutil reads the certificate from a file: one beside the database, removed right after.
      const file = join(db, `${nickname.replace(/\s+/g, '-').toLowerCase()}.pem`);
      try {
        writeFileSync(file, rootPem, { mode: 0o644 });
        beforeChange('nss', db);
        await run('certutil', ['-A', '-d', `sql:${db}`, '-t', 'C,,', '-n', nickname, '-i', file], { timeout: TIMEOUT_MS, env: env() });
        record.nss.push(db);
        steps.push({ store: 'nss', where: db, outcome: 'done', detail: 'added as a trusted CA for TLS servers.' });
      } catch (error) {
        steps.push({ store: 'nss', where: db, outcome: 'failed', detail: `certutil failed: ${(error as Error).message.split('\n')[0]}` });
      } finally {
        rmSync(file, { force: true });
      }
    }
  }

  // Java's cacerts (keytool), when a JDK is here.
  if (!targets.javaCacerts) {
    steps.push({ store: 'java', where: "Java's cacerts", outcome: 'skipped', detail: 'no JDK found (no cacerts); Java programs are not affected.' });
  } else if (!(await has('keytool'))) {
    steps.push({ store: 'java', where: targets.javaCacerts, outcome: 'skipped', detail: 'keytool is not on PATH.' });
  } else {
    // keytool reads the root from a file: a private temporary one, removed right after.
    const tmp = mkdtempSync(join(tmpdir(), 'keypair-satellite-root-'));
    const file = join(tmp, 'root.pem');
    try {
      writeFileSync(file, rootPem, { mode: 0o644 });
      beforeChange('java', targets.javaCacerts);
      await run('keytool', ['-importcert', '-noprompt', '-trustcacerts', '-alias', nickname, '-file', file, '-keystore', targets.javaCacerts, '-storepass', 'changeit'], { timeout: TIMEOUT_MS, env: env() });
      record.java = targets.javaCacerts;
      steps.push({ store: 'java', where: targets.javaCacerts, outcome: 'done', detail: `added with alias "${nickname}".` });
    } catch (error) {
      const message = (error as Error).message;
      if (/Permission denied|AccessDenied/i.test(message)) {
        steps.push({ store: 'java', where: targets.javaCacerts, outcome: 'skipped', detail: `writing it needs root: run sudo npm run serve -- --install-root from a checkout, or sudo keytool -importcert -keystore ${targets.javaCacerts} -storepass changeit -alias "${nickname}" -file <the root from Services>.` });
      } else {
        steps.push({ store: 'java', where: targets.javaCacerts, outcome: 'failed', detail: `keytool could not add it: ${message.split('\n').find((l) => /keytool error/.test(l)) ?? message.split('\n')[0]}.` });
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  return { steps, record };
}

/** Whether a failed certutil -D or keytool -delete said the name is not there (an install stopped before adding it). */
function notThere(error: unknown): boolean {
  const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
  const said = `${stdout}\n${stderr}\n${(error as Error).message}`;
  return /could not find certificate named|Alias <[^>]*> does not exist/.test(said);
}

const NOT_THERE = 'it was not there (an install stopped before adding it).';

/** Removes exactly what `record` says install added (or may have added, when it was stopped). */
export async function uninstallRoot(record: TrustRecord, targets: TrustTargets): Promise<TrustStep[]> {
  const steps: TrustStep[] = [];
  if (record.system) {
    try {
      rmSync(record.system, { force: true });
      await updateCaCertificates(targets, true);
      steps.push({ store: 'system', where: record.system, outcome: 'done', detail: 'removed, and the bundle rebuilt.' });
    } catch (error) {
      steps.push({ store: 'system', where: record.system, outcome: 'failed', detail: `update-ca-certificates failed: ${(error as Error).message.split('\n')[0]}` });
    }
  }
  for (const db of record.nss) {
    try {
      await run('certutil', ['-D', '-d', `sql:${db}`, '-n', record.nickname], { timeout: TIMEOUT_MS, env: env() });
      steps.push({ store: 'nss', where: db, outcome: 'done', detail: 'removed.' });
    } catch (error) {
      if (notThere(error)) steps.push({ store: 'nss', where: db, outcome: 'done', detail: NOT_THERE });
      else steps.push({ store: 'nss', where: db, outcome: 'failed', detail: `certutil failed: ${(error as Error).message.split('\n')[0]}` });
    }
  }
  if (record.java) {
    try {
      await run('keytool', ['-delete', '-noprompt', '-alias', record.nickname, '-keystore', record.java, '-storepass', 'changeit'], { timeout: TIMEOUT_MS, env: env() });
      steps.push({ store: 'java', where: record.java, outcome: 'done', detail: 'removed.' });
    } catch (error) {
      if (notThere(error)) steps.push({ store: 'java', where: record.java, outcome: 'done', detail: NOT_THERE });
      else steps.push({ store: 'java', where: record.java, outcome: 'failed', detail: `keytool failed: ${(error as Error).message.split('\n')[0]}` });
    }
  }
  if (steps.length === 0) steps.push({ store: 'system', where: 'this computer', outcome: 'skipped', detail: 'nothing was installed by this satellite, so nothing was removed.' });
  return steps;
}
