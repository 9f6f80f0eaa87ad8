import { characterCount, deceptiveCharacter, hasControlCharacter, ok, problem, quoteValue, type CheckResult } from './text';

/** The X.520 upper bound the satellite applies to every subject attribute. */
export const MAX_SUBJECT_VALUE_LENGTH = 64;

/** A subject attribute value (CN, O, OU, L, ST), trimmed; `label` names it in the message. */
export function checkSubjectText(value: string, label: string): CheckResult {
  if (hasControlCharacter(value)) return problem(`${label} ${quoteValue(value)} contains a control character (NUL, tab, line break, ...); remove it`);
  const deceptive = deceptiveCharacter(value);
  if (deceptive) return problem(`${label} ${quoteValue(value)} contains ${deceptive}, which makes a name look like another; remove it`);
  const trimmed = value.trim();
  if (trimmed === '') return problem(`${label} must not be empty`);
  const length = characterCount(trimmed);
  if (length > MAX_SUBJECT_VALUE_LENGTH) {
    return problem(`${label} ${quoteValue(trimmed)} is ${length} characters; at most ${MAX_SUBJECT_VALUE_LENGTH} are allowed`);
  }
  return ok(trimmed);
}
