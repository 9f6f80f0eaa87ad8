/** C0 and C1 control characters, NUL included (Unicode category Cc). */
const CONTROL_CHARACTER = /\p{Cc}/u;

export function hasControlCharacter(value: string): boolean {
  return CONTROL_CHARACTER.test(value);
}

/** Length in characters (code points), as X.520 upper bounds count them, not UTF-16 units. */
export function characterCount(value: string): number {
  return [...value].length;
}

/**
 * A value quoted for an error message: JSON escapes make NUL, tabs and other control
 * characters visible instead of corrupting the message; very long values are shortened.
 */
export function quoteValue(value: string, max = 80): string {
  const shown = characterCount(value) > max ? [...value].slice(0, max).join('') + '…' : value;
  return JSON.stringify(shown);
}

/** What a check says: the normalised value, or the rule the value breaks. */
export type CheckResult = { ok: true; value: string } | { ok: false; problem: string };

export const ok = (value: string): CheckResult => ({ ok: true, value });
export const problem = (text: string): CheckResult => ({ ok: false, problem: text });
