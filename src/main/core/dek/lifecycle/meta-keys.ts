/** Inventory meta keys: the dekHash the sealed data is under, and the date of its last backup. */
export const DEK_HASH_META = 'dekHash';
export const LAST_BACKUP_META = 'dekLastBackupDate';
