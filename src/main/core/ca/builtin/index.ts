export { BuiltinCa, openBuiltinCa, type BuiltinCaOptions } from './builtin-ca';
export { REVOCATION_REASONS, type Revocation, type RevocationReason } from './revocations';
export { CA_FILES } from './ca-directory';
