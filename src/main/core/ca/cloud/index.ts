export { CloudConnector } from './cloud-connector';
export { cloudHttpError, cloudErrorsOf, type CloudApiError } from './cloud-errors';
export { validityPeriodOf } from './validity';
