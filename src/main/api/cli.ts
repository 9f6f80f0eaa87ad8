// The headless satellite: `npm run serve -- --data-dir DIR --port N`.
import { readFileSync } from 'node:fs';
import { createSatellite, type Satellite } from '../core/satellite';
import { CliUsageError, parseCliOptions, USAGE } from './cli-options';
import { runNewIssuingCaCli } from './ca-commands';
import { runDekCli } from './dek-commands';
import { runHeadless, type ServiceFactoryOptions } from './headless';
import { runInventoryCheck } from './inventory-check';
import { runTrustCli } from './trust-commands';

const SHUTDOWN_LIMIT_MS = 30_000;

function version(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

async function main(): Promise<void> {
  let options;
  try {
    options = parseCliOptions(process.argv.slice(2), process.env);
  } catch (error) {
    if (error instanceof CliUsageError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  if (options.help) {
    console.log(USAGE);
    return;
  }
  if (options.check) {
    // exitCode, not exit(): stdout may be a pipe, and exit() would cut what was printed.
    process.exitCode = await runInventoryCheck(options.dataDir, { out: (l) => console.log(l), err: (l) => console.error(l) });
    return;
  }
  if (options.trustCommand) {
    process.exitCode = await runTrustCli({ ...options, trustCommand: options.trustCommand }, createSatellite, { out: (l) => console.log(l), err: (l) => console.error(l) });
    return;
  }
  if (options.newIssuingCa) {
    process.exitCode = await runNewIssuingCaCli({ ...options, newIssuingCa: options.newIssuingCa }, createSatellite, { out: (l) => console.log(l), err: (l) => console.error(l) });
    return;
  }
  if (options.dekCommand) {
    process.exit(await runDekCli({ ...options, dekCommand: options.dekCommand }, createSatellite, { out: (l) => console.log(l), err: (l) => console.error(l) }));
  }

  const made: { satellite?: Satellite } = {};
  const create = async (o: ServiceFactoryOptions) => (made.satellite = await createSatellite(o));
  const headless = await runHeadless(options, create, { out: (l) => console.log(l), err: (l) => console.error(l) }, version());
  // Settings > Services shows the local API's state; this process is the one serving it.
  made.satellite?.setApiStatus({ listening: true, url: headless.url, message: `The REST API and this web UI are served on ${options.host === '127.0.0.1' ? 'this machine only (127.0.0.1)' : options.host}.` });

  const stop = (signal: NodeJS.Signals) => {
    console.log(`${signal}: finishing in-flight requests, then stopping.`);
    // A stuck close must not keep the process forever.
    setTimeout(() => {
      console.error(`Stopping took longer than ${SHUTDOWN_LIMIT_MS / 1000} s; exiting anyway.`);
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS).unref();
    headless.shutdown().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`Stopping failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(`Keypair Satellite could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
