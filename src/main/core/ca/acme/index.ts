export { AcmeConnector } from './acme-connector';
export { ACME_DIRECTORY_PRESETS, type AcmeDirectoryPreset } from './presets';
export { accountKeySecretId } from './account-key';
export { ariCertId } from './renewal-info';
export { type AcmeProblem, describeProblem } from './problem';
