/**
 * Base of every refusal of the DEK lifecycle. The message says what was found and that nothing
 * changed where that is so; `fix` says what to do. Never carries key bytes or passphrases.
 */
export class DekLifecycleError extends Error {
  readonly fix: string;
  constructor(problem: string, fix: string) {
    super(`${problem} Fix: ${fix}`);
    this.name = 'DekLifecycleError';
    this.fix = fix;
  }
}

/** The passphrase does not decrypt the backup (or the file was altered, which AES-GCM cannot tell apart). */
export class DekBackupPassphraseError extends DekLifecycleError {
  constructor() {
    super(
      'The passphrase does not open this backup (a wrong passphrase, or the file was altered). Nothing was changed.',
      'enter the passphrase that was chosen when this backup was made.',
    );
    this.name = 'DekBackupPassphraseError';
  }
}

/** Not a DEK backup file, or one with unacceptable parameters. */
export class DekBackupFormatError extends DekLifecycleError {
  constructor(problem: string) {
    super(`This file is not a usable Keypair Satellite DEK backup: ${problem}. Nothing was changed.`, 'choose the .json file that "Back up DEK" wrote.');
    this.name = 'DekBackupFormatError';
  }
}

/** The backup holds another DEK than the one the stored keys are sealed under. */
export class DekBackupMismatchError extends DekLifecycleError {
  constructor(
    readonly backupDekHash: string,
    readonly storedDekHash: string,
  ) {
    super(
      `This backup holds DEK ${backupDekHash}, the stored keys are sealed under DEK ${storedDekHash}. Nothing was changed.`,
      `restore the backup of DEK ${storedDekHash}.`,
    );
    this.name = 'DekBackupMismatchError';
  }
}

/** The target store already holds another DEK that sealed blobs still depend on. */
export class DekRestoreConflictError extends DekLifecycleError {
  constructor(
    readonly backend: string,
    readonly existingDekHash: string,
    readonly blobCount: number,
  ) {
    super(
      `${backend} already holds DEK ${existingDekHash}, and ${blobCount} stored blob(s) are sealed under it; restoring would make them unreadable. Nothing was changed.`,
      'back up that DEK first, then restore with force if those blobs may be lost.',
    );
    this.name = 'DekRestoreConflictError';
  }
}

/** The store holds no DEK although the operation needs one. */
export class DekMissingError extends DekLifecycleError {
  constructor(backend: string, sealedUnder: string | undefined) {
    super(
      `DEK missing: restore it from a backup. ${backend} holds no DEK${sealedUnder ? `, and stored keys are sealed under DEK ${sealedUnder}` : ''}.`,
      'restore the DEK from its backup file (Settings > DEK backup > Restore).',
    );
    this.name = 'DekMissingError';
  }
}

/** A passphrase shorter than the minimum; names the field and the length, never the value. */
export class DekBackupPassphraseTooShortError extends DekLifecycleError {
  constructor(length: number, minimum: number) {
    super(`The backup passphrase is ${length === 0 ? 'empty' : `only ${length} characters`}; it must have at least ${minimum}.`, `choose a passphrase of at least ${minimum} characters.`);
    this.name = 'DekBackupPassphraseTooShortError';
  }
}
