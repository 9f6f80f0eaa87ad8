export { CloudConnector } from './cloud-connector';
export { cloudHttpError, cloudErrorsOf, type CloudApiError } from './cloud-errors';
export { splitCertificates } from './pem';
export { validityPeriodOf } from './validity';
