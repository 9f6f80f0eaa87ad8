// Downloads: the certificate, and keystores (PEM ZIP, PKCS#12 Modern / Compatible, JKS).
export { exportCertificate } from './certificate-export';
export { exportKeystore } from './keystore-export';
export { encryptedPemKey } from './pem-key';
export { generatePassphrase } from './passphrase';
export { fileBaseName } from './file-name';
export type { KeyMaterial } from './types';
export { installationFiles, type InstallationFile, type InstallationFileSpec } from './installation-files';
