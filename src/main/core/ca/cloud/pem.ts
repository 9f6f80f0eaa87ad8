// The PEM splitter lives in pki/pem.ts; the cloud connector's imports go on working.
export { splitCertificates } from '../../pki/pem';
