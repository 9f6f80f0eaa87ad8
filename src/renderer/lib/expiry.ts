const DAY_MS = 86_400_000;

export type ExpiryTone = 'expired' | 'critical' | 'warning' | 'ok';

export interface ExpiryBadge {
  /** Whole days left, rounded down; negative once expired. */
  days: number;
  tone: ExpiryTone;
  label: string;
  /** Mantine colour for the tone. */
  color: 'red' | 'yellow' | 'green';
}

/** Thresholds people act on: under 14 days is urgent, under 30 needs planning. */
export const CRITICAL_DAYS = 14;
export const WARNING_DAYS = 30;

export function daysUntil(validityEnd: string, now: number): number {
  return Math.floor((Date.parse(validityEnd) - now) / DAY_MS);
}

export function expiryBadge(validityEnd: string, now: number = Date.now()): ExpiryBadge {
  const end = Date.parse(validityEnd);
  if (Number.isNaN(end)) return { days: Number.NaN, tone: 'expired', label: 'no expiry date', color: 'red' };
  // CAs backdate notBefore a few minutes: a 7-day certificate made just now has 6 days 23 h 55 min
  // left, which a person calls 7 days. Within an hour of a whole day counts as that day.
  const days = Math.floor((end - now + 3_600_000) / DAY_MS);
  if (end <= now) return { days, tone: 'expired', label: 'expired', color: 'red' };
  // Under a day, hours: "expires today" read wrong for a certificate that ends tomorrow at 9.
  const hours = Math.floor((end - now) / 3_600_000);
  const label =
    days > 1 ? `expires in ${days} days` : days === 1 ? 'expires in 1 day' : hours >= 2 ? `expires in ${hours} hours` : hours === 1 ? 'expires in 1 hour' : 'expires within the hour';
  if (days < CRITICAL_DAYS) return { days, tone: 'critical', label, color: 'red' };
  if (days < WARNING_DAYS) return { days, tone: 'warning', label, color: 'yellow' };
  return { days, tone: 'ok', label, color: 'green' };
}
