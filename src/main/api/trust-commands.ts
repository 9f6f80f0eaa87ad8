import type { SatelliteService } from '../core/service';
import { TrustService } from '../core/trust/trust-service';
import { defaultTrustTargets, type TrustStep, type TrustTargets } from '../core/trust/trust-stores';
import type { CliOptions, TrustCommand } from './cli-options';
import { openForCommand, type Output, type ServiceFactoryOptions } from './cli-run';

// `npm run serve -- --install-root | --uninstall-root`: the built-in CA's root into (or out of)
// this computer's trust stores, like mkcert -install; each store's outcome on its own line.

export function trustTargetsOf(options: Pick<CliOptions, 'trustTargets'>): TrustTargets {
  const defaults = defaultTrustTargets();
  const given = options.trustTargets ?? {};
  return {
    home: given.home ?? defaults.home,
    systemRoot: given.systemRoot ?? defaults.systemRoot,
    javaCacerts: given.javaCacerts ?? defaults.javaCacerts,
    isRoot: defaults.isRoot,
  };
}

const MARK: Record<TrustStep['outcome'], string> = { done: 'done   ', skipped: 'skipped', failed: 'FAILED ' };

export async function runTrustCli(
  options: CliOptions & { trustCommand: TrustCommand },
  createService: (o: ServiceFactoryOptions) => Promise<SatelliteService>,
  output: Output,
): Promise<0 | 1> {
  const trust = new TrustService(options.dataDir);
  const targets = trustTargetsOf(options);
  let steps: TrustStep[];
  if (options.trustCommand === 'install') {
    const service = await openForCommand(options, createService, 'the --install-root command');
    try {
      const { rootPem } = await service.call('getBuiltinCa', {});
      steps = await trust.install(rootPem, targets);
    } catch (error) {
      output.err(`--install-root failed: ${(error as Error).message}`);
      return 1;
    } finally {
      await service.close();
    }
  } else {
    steps = await trust.uninstall(targets);
  }
  for (const step of steps) (step.outcome === 'failed' ? output.err : output.out)(`${MARK[step.outcome]} ${step.store.padEnd(6)} ${step.where}: ${step.detail}`);
  const done = steps.filter((s) => s.outcome === 'done').length;
  output.out(`${options.trustCommand === 'install' ? 'Installed in' : 'Removed from'} ${done} store(s); ${steps.filter((s) => s.outcome === 'skipped').length} skipped, ${steps.filter((s) => s.outcome === 'failed').length} failed.`);
  return steps.some((s) => s.outcome === 'failed') ? 1 : 0;
}
