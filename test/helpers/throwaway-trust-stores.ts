import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** Copies of the trust stores a computer has, under one folder, for a test to change instead of the machine's own. */
export interface ThrowawayTrustStores {
  /** A system root for update-ca-certificates --sysroot (--trust-sysroot). */
  sysroot: string;
  /** A HOME with Chromium's NSS database (--trust-home; launch Chromium with it). */
  home: string;
  /** A copy of Java's cacerts (--trust-java-cacerts). */
  cacerts: string;
  /** The bundle update-ca-certificates builds in the system root (CURL_CA_BUNDLE, SSL_CERT_FILE). */
  bundle: string;
  /** The satellite's arguments that point "Trust on this computer" at these. */
  args: string[];
}

/**
 * Makes the stores under `work`: the system root from this machine's own CA list (never the
 * machine's store itself), an empty NSS database, and a copy of the JDK's cacerts.
 */
export function makeThrowawayTrustStores(work: string): ThrowawayTrustStores {
  const sysroot = join(work, 'sysroot');
  for (const d of ['etc/ssl/certs', 'etc/ca-certificates/update.d', 'usr/local/share/ca-certificates', 'usr/share']) mkdirSync(join(sysroot, d), { recursive: true });
  copyFileSync('/etc/ca-certificates.conf', join(sysroot, 'etc', 'ca-certificates.conf'));
  cpSync('/usr/share/ca-certificates', join(sysroot, 'usr', 'share', 'ca-certificates'), { recursive: true, dereference: true });
  execFileSync('update-ca-certificates', ['--sysroot', sysroot]);
  const home = join(work, 'home');
  mkdirSync(join(home, '.pki', 'nssdb'), { recursive: true });
  execFileSync('certutil', ['-N', '-d', `sql:${join(home, '.pki', 'nssdb')}`, '--empty-password']);
  const cacerts = join(work, 'cacerts');
  const javaHome = execFileSync('sh', ['-c', 'dirname $(dirname $(readlink -f $(command -v keytool)))'], { encoding: 'utf8' }).trim();
  copyFileSync(join(javaHome, 'lib', 'security', 'cacerts'), cacerts);
  return {
    sysroot,
    home,
    cacerts,
    bundle: join(sysroot, 'etc', 'ssl', 'certs', 'ca-certificates.crt'),
    args: ['--trust-home', home, '--trust-sysroot', sysroot, '--trust-java-cacerts', cacerts],
  };
}
