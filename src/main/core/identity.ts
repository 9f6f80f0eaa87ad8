import { createHash } from 'node:crypto';

/** The ids the cloud puts in every answer (companyId, certificateOwnerUserId) for this satellite. */
export interface CloudIdentity {
  companyId: string;
  userId: string;
}

/** A name-based UUID (version 5 layout over SHA-1), stable for a satellite id and a label. */
export function nameBasedUuid(namespace: string, name: string): string {
  const hash = createHash('sha1').update(`${namespace}\u0000${name}`).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** A satellite is its own company with one user: ids derived from the satellite's id, the same on every start. */
export function cloudIdentityOf(satelliteId: string): CloudIdentity {
  return { companyId: nameBasedUuid(satelliteId, 'company'), userId: nameBasedUuid(satelliteId, 'user') };
}
