import { describeRenewBefore, renewAtByRule } from '../../../shared/automation';
import type { CertificateRecord } from '../../../shared/certificate';
import type { RenewalAdvice } from '../../../shared/renewal';

export interface RenewalTime {
  /** Undefined: never (renewBefore: disabled). */
  at?: Date;
  reason: string;
}

/**
 * When the scheduler renews a certificate: inside the CA's window when it offers Renewal
 * Information (at a random moment in it, as RFC 9773 asks, so a fleet does not renew at once),
 * else by renewBefore, else by the satellite's rule.
 */
export function renewalTime(certificate: Pick<CertificateRecord, 'validityStart' | 'validityEnd'>, renewBefore: string | undefined, advice: RenewalAdvice, random = Math.random()): RenewalTime {
  if (advice.source === 'CA') {
    const start = Date.parse(advice.start);
    const end = Date.parse(advice.end);
    return { at: new Date(start + Math.max(0, end - start) * random), reason: `inside the window ${advice.reason}` };
  }
  if (renewBefore !== undefined) {
    const at = renewAtByRule(renewBefore, certificate);
    return { at, reason: `renewBefore ${renewBefore}: ${describeRenewBefore(renewBefore)}` };
  }
  return { at: new Date(advice.start), reason: "the satellite's rule: in the last third of the lifetime" };
}
