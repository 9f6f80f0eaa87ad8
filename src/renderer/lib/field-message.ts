import { inUserWords } from './user-words';
import type { SatelliteError } from '../client/satellite-error';

/**
 * The satellite's message about one input field (or a field inside it), for the inline slot
 * under that input. The REST layer prefixes zod messages with the field's path, which the
 * input's own label already says.
 */
export function fieldMessage(error: SatelliteError | undefined, field: string): string | undefined {
  const found = error?.fieldErrors().find((e) => e.field === field || e.field.startsWith(`${field}.`));
  if (!found) return undefined;
  const prefix = `${found.field}: `;
  return inUserWords(found.message.startsWith(prefix) ? found.message.slice(prefix.length) : found.message);
}

/** The problems that no listed input shows inline: for the alert above the buttons. */
export function unplacedErrors(error: SatelliteError | undefined, fields: readonly string[]): { code: number; message: string }[] {
  if (!error) return [];
  const placed = new Set(error.fieldErrors().filter((e) => fields.some((f) => e.field === f || e.field.startsWith(`${f}.`))).map((e) => e.message));
  return error.errors.filter((e) => !placed.has(e.message));
}
