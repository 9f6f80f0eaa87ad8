import type { Automation, Installation } from '../../../shared/automation';
import type { CertificateRecord } from '../../../shared/certificate';
import { commandEnvironment } from '../commands/command-environment';
import { installationPaths } from '../installs/install-target';

/** VCert's TASKNAME: the task's name upper-cased, anything but letters and digits as "_". */
export function envTaskName(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

/**
 * What an after-install or validation action sees: the minimal environment, the files just
 * written, the certificate's serial and thumbprint (KEYPAIR_*), and the playbook's setEnvVars
 * (VCERT_<TASK>_THUMBPRINT, _SERIAL, _BASE64). Never a password, never SATELLITE_*.
 */
export function actionEnvironment(automation: Pick<Automation, 'name' | 'setEnvVars'>, installation: Installation, certificate: CertificateRecord, certificatePem: string): Record<string, string> {
  const paths = installationPaths(installation);
  const own: Record<string, string> = {
    KEYPAIR_CERTIFICATE_ID: certificate.id,
    KEYPAIR_SERIAL: certificate.serialNumber,
    KEYPAIR_THUMBPRINT: certificate.fingerprint,
    KEYPAIR_COMMON_NAME: certificate.certificateName,
    KEYPAIR_NOT_AFTER: certificate.validityEnd,
  };
  if (paths.cert) own.KEYPAIR_CERT_FILE = paths.cert;
  if (paths.chain) own.KEYPAIR_CHAIN_FILE = paths.chain;
  if (paths.key) own.KEYPAIR_KEY_FILE = paths.key;
  if (paths.keystore) own.KEYPAIR_KEYSTORE_FILE = paths.keystore;
  const task = envTaskName(automation.name);
  for (const name of automation.setEnvVars) {
    if (name === 'thumbprint') own[`VCERT_${task}_THUMBPRINT`] = certificate.fingerprint;
    if (name === 'serial') own[`VCERT_${task}_SERIAL`] = certificate.serialNumber;
    if (name === 'base64') own[`VCERT_${task}_BASE64`] = certificatePem.replace(/-----[^-]+-----|\s+/g, '');
  }
  return commandEnvironment(own);
}
