// The environment of a command the satellite runs for the user (dns-01 hooks, and any later
// after-install action): only what a program needs to start and find its tools, never the
// satellite's own variables (SATELLITE_DEK_PASSPHRASE opens every key with dek.json;
// SATELLITE_API_KEY is the API key) or anything else the satellite was started with.

/** Variables passed through from the satellite's environment when set. */
const PASSED_THROUGH = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TMPDIR', 'TZ', 'USER', 'LOGNAME', 'SystemRoot', 'windir', 'ComSpec', 'PATHEXT', 'TEMP', 'TMP', 'USERPROFILE'] as const;

/** A minimal environment plus the command's own documented variables. */
export function commandEnvironment(own: Record<string, string>, from: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of PASSED_THROUGH) {
    const value = from[name];
    if (value !== undefined) env[name] = value;
  }
  for (const [name, value] of Object.entries(own)) {
    if (name.startsWith('SATELLITE_')) throw new Error(`${name}: a command's own variables never start with SATELLITE_`);
    env[name] = value;
  }
  return env;
}
