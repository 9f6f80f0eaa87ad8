/** Seconds as the cloud's ISO 8601 validityPeriod: whole days as P90D, else hours (PT12H), else seconds. */
export function validityPeriodOf(seconds: number): string {
  const s = Math.max(1, Math.round(seconds));
  if (s % 86_400 === 0) return `P${s / 86_400}D`;
  if (s % 3_600 === 0) return `PT${s / 3_600}H`;
  return `PT${s}S`;
}
