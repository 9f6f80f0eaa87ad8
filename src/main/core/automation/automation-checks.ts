import type { Automation, AutomationSave } from '../../../shared/automation';
import type { CertificateRecord } from '../../../shared/certificate';
import { ERROR_CODES } from '../../../shared/error-codes';
import type { CertificateService } from '../certificates/certificate-service';
import { SatelliteError } from '../common/errors';

const invalid = (field: string, value: string, message: string) => new SatelliteError(ERROR_CODES.VALIDATION, message, 400, [{ field, message, value }]);

/**
 * What a save is refused for, before anything is sealed or written, each naming its field: a
 * certificate that cannot be installed (a CA certificate, revoked, no key here), one another
 * automation installs, a name taken, a file another automation writes (the two would take turns
 * replacing each other's certificate). Returns the certificate.
 */
export function checkAutomationSave(input: AutomationSave, context: { certificates: Pick<CertificateService, 'get' | 'hasPrivateKey' | 'detail'>; others: readonly Automation[] }): CertificateRecord {
  const id = input.certificateId;
  const certificate = context.certificates.get(id);
  const named = `certificate ${id} (${certificate.certificateName})`;
  if (certificate.isCA) throw invalid('certificateId', id, `${named} is a CA certificate: automate the certificates it issued`);
  if (certificate.revocationStatus === 'REVOKED') throw invalid('certificateId', id, `${named} is revoked: request a new one and automate that`);
  if (!context.certificates.hasPrivateKey(certificate)) throw invalid('certificateId', id, `${named} has no private key in this satellite, so it cannot be installed with one: request it through the satellite`);
  // Installing alone is fine; renewing must be possible unless it is switched off.
  const renewal = context.certificates.detail(id).renewal;
  if (!renewal.possible && input.renewBefore !== 'disabled' && input.renewBefore !== '0') {
    throw invalid('renewBefore', input.renewBefore ?? '', `${named} cannot be renewed by this satellite (${renewal.reason.replace(/[.:]\s*$/, '')}); set renewBefore to disabled to only install it`);
  }
  const installing = context.others.find((a) => a.certificateId === id);
  if (installing) throw invalid('certificateId', id, `${named} is already installed by automation "${installing.name}": change that one instead`);
  if (context.others.some((a) => a.name === input.name)) throw invalid('name', input.name, `name "${input.name}" is already used by another automation: choose another`);
  for (const other of context.others) {
    const theirs = new Set(other.installations.flatMap((i) => [i.file, i.chainFile, i.keyFile]).filter(Boolean));
    for (const [n, i] of input.installations.entries()) {
      for (const field of ['file', 'chainFile', 'keyFile'] as const) {
        const path = i[field];
        if (path && theirs.has(path)) throw invalid(`installations.${n}.${field}`, path, `${field} ${path} is already written by automation "${other.name}": choose another file, or change that automation`);
      }
    }
  }
  return certificate;
}
