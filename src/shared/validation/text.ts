/** C0 and C1 control characters, NUL included (Unicode category Cc). */
const CONTROL_CHARACTER = /\p{Cc}/u;

export function hasControlCharacter(value: string): boolean {
  return CONTROL_CHARACTER.test(value);
}

/**
 * Characters that make a name look like another: bidirectional overrides and isolates (a CN that
 * reads "moc.example" backwards), zero-width joiners and spaces, the BOM; and lone surrogates,
 * which no encoding can carry. Unicode format characters (Cf) cover the first three.
 */
const DECEPTIVE_CHARACTER = /\p{Cf}|\p{Cs}/u;

/** Names the first deceptive character of `value`, e.g. "U+202E (right-to-left override)", or undefined. */
export function deceptiveCharacter(value: string): string | undefined {
  const found = DECEPTIVE_CHARACTER.exec(value)?.[0];
  if (found === undefined) return undefined;
  const code = found.codePointAt(0)!;
  const names: Record<number, string> = { 0x200b: 'zero-width space', 0x200c: 'zero-width non-joiner', 0x200d: 'zero-width joiner', 0x200e: 'left-to-right mark', 0x200f: 'right-to-left mark', 0x202a: 'left-to-right embedding', 0x202b: 'right-to-left embedding', 0x202c: 'pop directional formatting', 0x202d: 'left-to-right override', 0x202e: 'right-to-left override', 0x2066: 'left-to-right isolate', 0x2067: 'right-to-left isolate', 0x2068: 'first strong isolate', 0x2069: 'pop directional isolate', 0xfeff: 'byte order mark' };
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return code >= 0xd800 && code <= 0xdfff ? `${hex} (a lone surrogate)` : `${hex}${names[code] ? ` (${names[code]})` : ' (an invisible formatting character)'}`;
}

/** Length in characters (code points), as X.520 upper bounds count them, not UTF-16 units. */
export function characterCount(value: string): number {
  let count = 0;
  // Counted by iterating (code points), without the array a spread would make.
  for (const _ of value) count++;
  return count;
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
