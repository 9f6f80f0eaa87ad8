import { describe, expect, it } from 'vitest';
import { capiImportCommand, keychainImportCommand } from './platform-stores';

// The commands run only on Windows and macOS; here their exact shape is what is checked.

describe('OS certificate stores', () => {
  it('imports into the Windows store with Import-PfxCertificate, the password on stdin, exportable unless asked', () => {
    const command = capiImportCommand('C:\\Temp\\k\\certificate.p12', 'one-time', { location: 'LocalMachine\\My', friendlyName: "Bob's site", nonExportable: false });
    expect(command.program).toBe('powershell.exe');
    expect(command.args.slice(0, 3)).toEqual(['-NoProfile', '-NonInteractive', '-Command']);
    expect(command.args[3]).toBe(
      "$ErrorActionPreference = 'Stop'; $password = ConvertTo-SecureString -String ([Console]::In.ReadLine()) -AsPlainText -Force; " +
        "$certificate = Import-PfxCertificate -FilePath 'C:\\Temp\\k\\certificate.p12' -CertStoreLocation 'Cert:\\LocalMachine\\My' -Password $password -Exportable; " +
        "$certificate.FriendlyName = 'Bob''s site'; Write-Output $certificate.Thumbprint",
    );
    expect(command.stdin).toBe('one-time\n');
    expect(command.args.join(' ')).not.toContain('one-time');
    expect(capiImportCommand('C:\\p.p12', 'x', { location: 'CurrentUser\\My', friendlyName: 'n', nonExportable: true }).args[3]).not.toContain('-Exportable');
  });

  it('imports into the macOS login keychain (or the one named) with security import -f pkcs12, -x for a non-extractable key', () => {
    expect(keychainImportCommand('/tmp/k/certificate.p12', 'pw', { nonExportable: false, home: '/Users/ana' })).toEqual({
      program: '/usr/bin/security',
      args: ['import', '/tmp/k/certificate.p12', '-k', '/Users/ana/Library/Keychains/login.keychain-db', '-f', 'pkcs12', '-P', 'pw'],
    });
    expect(keychainImportCommand('/tmp/c.p12', 'pw', { keychain: '/Library/Keychains/System.keychain', nonExportable: true, home: '/Users/ana' }).args).toEqual([
      'import',
      '/tmp/c.p12',
      '-k',
      '/Library/Keychains/System.keychain',
      '-f',
      'pkcs12',
      '-P',
      'pw',
      '-x',
    ]);
  });
});
