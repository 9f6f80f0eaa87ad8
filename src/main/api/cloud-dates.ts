/** The cloud's timestamp format, e.g. "2021-11-16T23:45:13.285+0000" (always UTC). */
export function toCloudDate(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return date.toISOString().replace(/Z$/, '+0000');
}

/** A copy of `record` with the named date fields in the cloud's format. */
export function withCloudDates<T extends object>(record: T, fields: readonly (keyof T)[]): T {
  const copy = { ...record };
  for (const field of fields) {
    const value = copy[field];
    if (typeof value === 'string') (copy as Record<keyof T, unknown>)[field] = toCloudDate(value);
  }
  return copy;
}
