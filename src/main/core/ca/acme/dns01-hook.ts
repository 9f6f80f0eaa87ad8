import { spawn } from 'node:child_process';
import { commandEnvironment } from '../../commands/command-environment';
import { CaError } from '../connector';

export type DnsHookAction = 'present' | 'cleanup';

// Record names and key-authorization digests are plain DNS and base64url characters; anything
// else would be a shell metacharacter, so refuse it rather than quote it.
const SAFE = /^[A-Za-z0-9._*-]+$/;
const HOOK_TIMEOUT_MS = 120_000;

/** `_acme-challenge.<domain>` for an authorization's identifier (a wildcard's authz names the base domain). */
export function dns01RecordName(identifier: string): string {
  return `_acme-challenge.${identifier.replace(/^\*\./, '')}`;
}

/**
 * Run the user's DNS hook: `<hookCommand> <recordName> <value>` with ACME_DNS_ACTION=present|cleanup
 * (also ACME_DNS_NAME and ACME_DNS_VALUE) in a minimal environment (commandEnvironment). A
 * non-zero exit refuses the order with the hook's stderr.
 */
export function runDnsHook(hookCommand: string, action: DnsHookAction, recordName: string, value: string): Promise<void> {
  if (!SAFE.test(recordName) || !SAFE.test(value)) return Promise.reject(new CaError(`Refusing to pass ${JSON.stringify(recordName)} / ${JSON.stringify(value)} to the DNS hook: unexpected characters`, false));
  // PATH, HOME, LANG and the ACME_* variables; never SATELLITE_* or any other secret.
  const env = commandEnvironment({ ACME_DNS_ACTION: action, ACME_DNS_NAME: recordName, ACME_DNS_VALUE: value });
  const child =
    process.platform === 'win32'
      ? spawn(`${hookCommand} ${recordName} ${value}`, { shell: true, env, stdio: ['ignore', 'ignore', 'pipe'], timeout: HOOK_TIMEOUT_MS })
      : spawn('sh', ['-c', `${hookCommand} "$@"`, 'acme-dns-hook', recordName, value], { env, stdio: ['ignore', 'ignore', 'pipe'], timeout: HOOK_TIMEOUT_MS });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    if (stderr.length < 2000) stderr += c.toString('utf8');
  });
  return new Promise((resolve, reject) => {
    child.on('error', (e) => reject(new CaError(`The dns-01 hook command could not start (${e.message}); check hookCommand in the template's ACME challenge settings`, false)));
    child.on('close', (code, signal) => {
      if (code === 0) return resolve();
      const why = signal ? `was stopped by ${signal}${signal === 'SIGTERM' ? ` after ${HOOK_TIMEOUT_MS / 1000} s` : ''}` : `exited with ${code}`;
      reject(new CaError(`The dns-01 hook (${action} ${recordName}) ${why}${stderr.trim() ? `: ${stderr.trim()}` : ''}; check hookCommand in the template's ACME challenge settings`, false));
    });
  });
}
