// The operating system's own certificate stores, filled with the platform's own tools from a
// PKCS#12 file the satellite writes for the moment of the import (0600, in a private temporary
// folder, removed right after). Built as data so the exact commands are tested on any machine;
// they run only on their platform.

/** A program and its arguments (no shell), with what goes to its stdin. */
export interface PlatformCommand {
  program: string;
  args: string[];
  /** Written to stdin: the PKCS#12 file's one-time password, so it never shows in a process list. */
  stdin?: string;
}

/** A PowerShell single-quoted string: the only special character inside is the quote itself. */
const psQuote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * Windows (CAPI): Import-PfxCertificate into `location` (LocalMachine\My, CurrentUser\My ...), the
 * password read from stdin, the key exportable unless asked otherwise, then the friendly name set.
 * Prints the thumbprint, which the caller checks against the certificate's.
 */
export function capiImportCommand(pfxPath: string, password: string, options: { location: string; friendlyName: string; nonExportable: boolean }): PlatformCommand {
  const [scope, store] = options.location.split('\\') as [string, string];
  const script = [
    "$ErrorActionPreference = 'Stop'",
    '$password = ConvertTo-SecureString -String ([Console]::In.ReadLine()) -AsPlainText -Force',
    `$certificate = Import-PfxCertificate -FilePath ${psQuote(pfxPath)} -CertStoreLocation ${psQuote(`Cert:\\${scope}\\${store}`)} -Password $password${options.nonExportable ? '' : ' -Exportable'}`,
    `$certificate.FriendlyName = ${psQuote(options.friendlyName)}`,
    'Write-Output $certificate.Thumbprint',
  ].join('; ');
  return { program: 'powershell.exe', args: ['-NoProfile', '-NonInteractive', '-Command', script], stdin: `${password}\n` };
}

/**
 * macOS: `security import` of the PKCS#12 (Modern, which `-f pkcs12` reads on macOS 26) into the
 * login keychain or `keychain`; -x marks the key non-extractable when asked. `security` takes the
 * password only as an argument: it is a one-time password of a file that exists for this import only.
 */
export function keychainImportCommand(p12Path: string, password: string, options: { keychain?: string; nonExportable: boolean; home: string }): PlatformCommand {
  const keychain = options.keychain || `${options.home}/Library/Keychains/login.keychain-db`;
  return { program: '/usr/bin/security', args: ['import', p12Path, '-k', keychain, '-f', 'pkcs12', '-P', password, ...(options.nonExportable ? ['-x'] : [])] };
}
