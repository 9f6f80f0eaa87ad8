import { useCallback, useState } from 'react';
import { toSatelliteError, type SatelliteError } from '../client/satellite-error';

export interface ActionState {
  /** True while the action runs: buttons show their loader and stay disabled. */
  busy: boolean;
  /** Why the last run failed, for the dialog's ErrorAlert and inline field messages. */
  error: SatelliteError | undefined;
  setError(error: SatelliteError | undefined): void;
  /** Runs `fn`, clearing the last error first; a failure becomes `error`. Resolves whether it succeeded. */
  runAction(fn: () => Promise<void>): Promise<boolean>;
}

/** One user action of a dialog or card (save, import, download, rotate): busy while it runs, its error after. */
export function useAction(): ActionState {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<SatelliteError>();
  const runAction = useCallback(async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await fn();
      return true;
    } catch (e) {
      setError(toSatelliteError(e));
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, setError, runAction };
}
