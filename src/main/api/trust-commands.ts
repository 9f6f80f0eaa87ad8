import { satelliteLogger } from '../core/common/log';
import type { SatelliteService } from '../core/service';
import { TrustService } from '../core/trust/trust-service';
import type { TrustStep } from '../../shared/trust';
import { trustTargetsWith } from '../core/trust/trust-stores';
import type { CliOptions, TrustCommand } from './cli-options';
import { openForCommand, type Output, type ServiceFactoryOptions } from './cli-run';

// `npm run serve -- --install-root | --uninstall-root`: the built-in CA's root into (or out of)
// this computer's trust stores, like mkcert -install; each store's outcome on its own line.

const MARK: Record<TrustStep['outcome'], string> = { done: 'done   ', skipped: 'skipped', failed: 'FAILED ' };

export async function runTrustCli(
  options: CliOptions & { trustCommand: TrustCommand },
  createService: (o: ServiceFactoryOptions) => Promise<SatelliteService>,
  output: Output,
): Promise<0 | 1> {
  let steps: TrustStep[];
  if (options.trustCommand === 'install') {
    const service = await openForCommand({ ...options, trustStores: options.trustTargets }, createService, 'the --install-root command');
    try {
      ({ steps } = await service.call('trustBuiltinRoot', {}));
    } catch (error) {
      output.err(`--install-root failed: ${(error as Error).message}`);
      return 1;
    } finally {
      await service.close();
    }
  } else {
    // Without opening the satellite: the record of what was added is enough, even with the DEK gone.
    ({ steps } = await new TrustService(options.dataDir, trustTargetsWith(options.trustTargets), satelliteLogger(options.dataDir)).uninstall());
  }
  for (const step of steps) (step.outcome === 'failed' ? output.err : output.out)(`${MARK[step.outcome]} ${step.store.padEnd(6)} ${step.where}: ${step.detail}`);
  const done = steps.filter((s) => s.outcome === 'done').length;
  output.out(`${options.trustCommand === 'install' ? 'Installed in' : 'Removed from'} ${done} store(s); ${steps.filter((s) => s.outcome === 'skipped').length} skipped, ${steps.filter((s) => s.outcome === 'failed').length} failed.`);
  return steps.some((s) => s.outcome === 'failed') ? 1 : 0;
}
