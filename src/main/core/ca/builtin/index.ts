export { DEFAULT_PKI_PORT, PKI_PATHS, revocationPointers } from './pki-paths';
export { BuiltinCa, openBuiltinCa, type BuiltinCaOptions } from './builtin-ca';
export { REVOCATION_REASONS, type Revocation, type RevocationReason } from './revocations';
export { CA_FILES, SEALED_KEY_IDS, addIssuingCa, inventorySealedKeys, issuingKeyId, type SealedKeyStore } from './ca-directory';
