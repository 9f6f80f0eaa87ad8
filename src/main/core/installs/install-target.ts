import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Installation } from '../../../shared/automation';
import { runProgram } from '../commands/run-command';
import { commandEnvironment } from '../commands/command-environment';
import { installationFiles, type KeyMaterial } from '../exports';
import { installFileSet, restoreFileSet } from './file-set';
import { capiImportCommand, keychainImportCommand, type PlatformCommand } from './platform-stores';

/** An installation with its passwords opened from under the DEK: lives only for one install. */
export type OpenedInstallation = Omit<Installation, 'keyPasswordSecretId' | 'jksPasswordSecretId'> & { keyPassword?: string; jksPassword?: string };

export interface InstalledTarget {
  /** The files now in place (empty for an OS store). */
  paths: string[];
  /** What was written, in words: "PEM: certificate, chain (1), key unencrypted (PKCS#8)". */
  summary: string;
  /** Puts the files this install replaced back; absent when nothing can be put back (an OS store). */
  restore?: () => void;
}

/** Which files an installation writes, for messages and the actions' variables. */
export function installationPaths(i: Pick<Installation, 'format' | 'file' | 'chainFile' | 'keyFile'>): { cert?: string; chain?: string; key?: string; keystore?: string } {
  if (i.format === 'PEM') return { cert: i.file, chain: i.chainFile, key: i.keyFile };
  if (i.format === 'PKCS12' || i.format === 'JKS') return { keystore: i.file };
  return {};
}

/** "PEM /etc/nginx/tls/site.crt", "CAPI LocalMachine\My": how the history names an installation. */
export function describeInstallation(i: Pick<Installation, 'format' | 'file' | 'location' | 'keychain'>): string {
  if (i.format === 'CAPI') return `CAPI ${i.location}`;
  if (i.format === 'KEYCHAIN') return `macOS keychain ${i.keychain || 'login'}`;
  return `${i.format} ${i.file}`;
}

/**
 * Puts a certificate where one installation says: its files as one set (file-set.ts), or into the
 * OS store with the platform's tool. `material.pkcs8` is wiped either way.
 */
export async function installTarget(material: KeyMaterial, target: OpenedInstallation, label: string): Promise<InstalledTarget> {
  switch (target.format) {
    case 'PEM': {
      const built = installationFiles(material, {
        format: 'PEM',
        file: target.file!,
        chainFile: target.chainFile!,
        keyFile: target.keyFile!,
        fullChainInFile: target.fullChainInFile,
        keyPassword: target.keyPassword,
        unencryptedKey: target.unencryptedKey,
      });
      return placed(built.files, built.scheme, target.backupFiles);
    }
    case 'PKCS12': {
      const built = installationFiles(material, { format: 'PKCS12', file: target.file!, keyPassword: target.keyPassword!, profile: target.useLegacyP12 ? 'COMPATIBLE' : 'MODERN', label: target.friendlyName || label });
      return placed(built.files, built.scheme, target.backupFiles);
    }
    case 'JKS': {
      const built = installationFiles(material, { format: 'JKS', file: target.file!, jksAlias: target.jksAlias!, jksPassword: target.jksPassword!, keyPassword: target.keyPassword });
      return placed(built.files, built.scheme, target.backupFiles);
    }
    case 'CAPI':
    case 'KEYCHAIN':
      return importIntoOsStore(material, target, label);
  }
}

function placed(files: { path: string; bytes: Buffer; defaultMode: number }[], scheme: string, backupFiles: boolean | undefined): InstalledTarget {
  const set = installFileSet(files, { backupFiles });
  const backups = set.backups.length ? `; previous files kept as ${set.backups.join(', ')}` : '';
  const oneByOne = set.replaced ? '; each file replaced on its own, the key last (this system allows the satellite no symbolic links, so not as one set)' : '';
  return { paths: files.map((f) => f.path), summary: `${scheme}${backups}${oneByOne}`, restore: set.previous || set.replaced ? () => restoreFileSet(set) : undefined };
}

/** The OS store's tool for this platform, or why this installation cannot run here. */
function osStoreCommand(pfxPath: string, password: string, target: OpenedInstallation, label: string): PlatformCommand {
  if (target.format === 'CAPI') {
    if (process.platform !== 'win32') throw new Error(`a CAPI installation (${target.location}) runs only on Windows; this satellite runs on ${process.platform}: install as PEM, PKCS12 or JKS here`);
    return capiImportCommand(pfxPath, password, { location: target.location!, friendlyName: target.friendlyName || label, nonExportable: target.capiIsNonExportable === true });
  }
  if (process.platform !== 'darwin') throw new Error(`a macOS keychain installation runs only on macOS; this satellite runs on ${process.platform}: install as PEM, PKCS12 or JKS here`);
  return keychainImportCommand(pfxPath, password, { keychain: target.keychain, nonExportable: target.capiIsNonExportable === true, home: homedir() });
}

async function importIntoOsStore(material: KeyMaterial, target: OpenedInstallation, label: string): Promise<InstalledTarget> {
  const password = randomBytes(24).toString('base64url');
  const folder = mkdtempSync(join(tmpdir(), 'keypair-install-'));
  try {
    const pfxPath = join(folder, 'certificate.p12');
    const command = osStoreCommand(pfxPath, password, target, label);
    const built = installationFiles(material, { format: 'PKCS12', file: pfxPath, keyPassword: password, profile: target.useLegacyP12 ? 'COMPATIBLE' : 'MODERN', label: target.friendlyName || label });
    writeFileSync(pfxPath, built.files[0]!.bytes, { mode: 0o600 });
    const outcome = await runProgram(command.program, command.args, commandEnvironment({}), target.actionTimeoutSeconds * 1000, command.stdin);
    if (outcome.exitCode !== 0) {
      const why = outcome.startError ?? (outcome.timedOut ? `did not finish in ${target.actionTimeoutSeconds} s` : `exited with ${outcome.exitCode}`);
      throw new Error(`${command.program} ${why}${outcome.output.trim() ? `: ${outcome.output.trim()}` : ''}`);
    }
    return { paths: [], summary: `${describeInstallation(target)} via ${command.program} (${built.scheme})` };
  } finally {
    material.pkcs8.fill(0);
    rmSync(folder, { recursive: true, force: true });
  }
}
