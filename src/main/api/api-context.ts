import type { Logger } from '../core/common/log';
import type { SatelliteService } from '../core/service';
import { cloudIdentityOf, type CloudIdentity } from '../core/identity';
import type { AuthFailureLimiter } from './security/auth-failure-limiter';
import type { UiSessions } from './security/ui-sessions';

/** What every route group is built with. */
export interface ApiContext {
  service: SatelliteService;
  limiter: AuthFailureLimiter;
  sessions: UiSessions;
  log: Logger;
  /** companyId and owner user id for cloud answers; derived from the satellite's id once. */
  identity(): Promise<CloudIdentity>;
}

export function memoizedIdentity(service: SatelliteService): () => Promise<CloudIdentity> {
  let pending: Promise<CloudIdentity> | undefined;
  return () => {
    pending ??= service.edgeInstance().then(
      (edge) => cloudIdentityOf(edge.id),
      (error: unknown) => {
        pending = undefined;
        throw error;
      },
    );
    return pending;
  };
}
