import { commandEnvironment } from '../../commands/command-environment';
import { runCommand, runProgram } from '../../commands/run-command';
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
 * non-zero exit refuses the order with the hook's output.
 */
export async function runDnsHook(hookCommand: string, action: DnsHookAction, recordName: string, value: string): Promise<void> {
  if (!SAFE.test(recordName) || !SAFE.test(value)) throw new CaError(`Refusing to pass ${JSON.stringify(recordName)} / ${JSON.stringify(value)} to the DNS hook: unexpected characters`, false);
  // PATH, HOME, LANG and the ACME_* variables; never SATELLITE_* or any other secret.
  const env = commandEnvironment({ ACME_DNS_ACTION: action, ACME_DNS_NAME: recordName, ACME_DNS_VALUE: value });
  const outcome =
    process.platform === 'win32'
      ? await runCommand(`${hookCommand} ${recordName} ${value}`, env, HOOK_TIMEOUT_MS)
      : await runProgram('/bin/sh', ['-c', `${hookCommand} "$@"`, 'acme-dns-hook', recordName, value], env, HOOK_TIMEOUT_MS);
  if (outcome.exitCode === 0) return;
  if (outcome.startError) throw new CaError(`The dns-01 hook command could not start (${outcome.startError}); check hookCommand in the template's ACME challenge settings`, false);
  const why = outcome.timedOut ? `was stopped after ${HOOK_TIMEOUT_MS / 1000} s` : outcome.signal ? `was stopped by ${outcome.signal}` : `exited with ${outcome.exitCode}`;
  const output = outcome.output.trim();
  throw new CaError(`The dns-01 hook (${action} ${recordName}) ${why}${output ? `: ${output}` : ''}; check hookCommand in the template's ACME challenge settings`, false);
}
