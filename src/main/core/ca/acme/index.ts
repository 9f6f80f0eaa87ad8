export { AcmeConnector } from './acme-connector';
export { accountKeySecretId } from './account-key';
export { ariCertId } from './renewal-info';
export { type AcmeProblem, describeProblem } from './problem';
export { acmeProfileProblem } from './profiles';
