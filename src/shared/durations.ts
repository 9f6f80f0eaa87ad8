import { z } from 'zod';

// ISO 8601 durations as the cloud writes validity: P7D, P90D, P1Y, PT12H, P1DT2H.
const ISO_DURATION = /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** Length of an ISO 8601 duration in seconds; years are 365 days and months 30, as CAs count. */
export function durationSeconds(duration: string): number {
  const m = ISO_DURATION.exec(duration);
  if (!m) throw new Error(`"${duration}" is not an ISO 8601 duration such as P90D or PT12H`);
  const [y, mo, w, d, h, mi, s] = m.slice(1).map((v) => (v ? Number(v) : 0)) as number[];
  return ((((y! * 365 + mo! * 30 + w! * 7 + d!) * 24 + h!) * 60 + mi!) * 60) + s!;
}

/** The shortest validity: one hour, the cloud service's own minimum (and what 1-hour test certificates use). */
export const MIN_VALIDITY_SECONDS = 3600;

export const isoDurationSchema = z
  .string()
  .regex(ISO_DURATION, 'must be an ISO 8601 duration such as P7D, P90D or PT12H')
  .refine((v) => !ISO_DURATION.test(v) || durationSeconds(v) > 0, 'must be longer than zero')
  .refine((v) => !ISO_DURATION.test(v) || durationSeconds(v) === 0 || durationSeconds(v) >= MIN_VALIDITY_SECONDS, 'must be at least PT1H (one hour), the shortest validity the cloud service allows');
