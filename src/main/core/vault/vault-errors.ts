/** Base of every vault failure, so callers can catch them together and still tell them apart. */
export class VaultError extends Error {
  readonly recordId: string;
  constructor(recordId: string, message: string) {
    super(message);
    this.name = 'VaultError';
    this.recordId = recordId;
  }
}

/** The header is right for this record and DEK, but the ciphertext or header fails authentication. */
export class VaultBlobTamperedError extends VaultError {
  constructor(recordId: string, detail: string) {
    super(recordId, `The sealed key of record ${recordId} was altered or is corrupt (${detail}); restore the data directory from a backup.`);
    this.name = 'VaultBlobTamperedError';
  }
}

/** The blob was sealed for another record: it was moved or copied. */
export class VaultWrongRecordError extends VaultError {
  readonly blobRecordId: string;
  constructor(recordId: string, blobRecordId: string) {
    super(
      recordId,
      `The sealed key asked for record ${recordId} belongs to record ${blobRecordId}; a blob cannot be moved between records.`,
    );
    this.name = 'VaultWrongRecordError';
    this.blobRecordId = blobRecordId;
  }
}

/** The blob was sealed under another DEK than the current one. */
export class VaultWrongDekError extends VaultError {
  readonly blobDekHash: string;
  readonly currentDekHash: string;
  constructor(recordId: string, blobDekHash: string, currentDekHash: string) {
    super(
      recordId,
      `The key of record ${recordId} was sealed under DEK ${blobDekHash}, but the current DEK is ${currentDekHash}: restore DEK ${blobDekHash} from a backup.`,
    );
    this.name = 'VaultWrongDekError';
    this.blobDekHash = blobDekHash;
    this.currentDekHash = currentDekHash;
  }
}
