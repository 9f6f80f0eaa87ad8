export type { Sealer } from './sealer';
export { AesGcmSealer } from './aes-gcm-sealer';
export { readBlobDekHash, parseBlobHeader, VaultBlobFormatError, type BlobHeader } from './blob-format';
export { VaultError, VaultBlobTamperedError, VaultWrongRecordError, VaultWrongDekError } from './vault-errors';
