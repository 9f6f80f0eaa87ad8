// JavaScript's regex engine backtracks: a repeated group that itself repeats, such as (\w+\s?)+,
// can take minutes on one crafted name and stall the whole satellite (one thread). Templates are
// checked when saved, so such a pattern never reaches the policy.

/** Why `source` could backtrack catastrophically (a quantified group that holds a quantifier), or undefined. */
export function nestedQuantifierProblem(source: string): string | undefined {
  // Per open group: where it starts, and whether something inside it repeats without bound.
  const groups: { start: number; repeats: boolean }[] = [];
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '[') {
      // A character class: skip to its closing bracket (escapes and a leading ] included).
      i++;
      if (source[i] === '^') i++;
      if (source[i] === ']') i++;
      while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
      continue;
    }
    if (c === '(') {
      groups.push({ start: i, repeats: false });
      continue;
    }
    const unbounded = c === '*' || c === '+' || (c === '{' && /^\{\d*,\d*\}/.test(source.slice(i)) && !/^\{\d*,\d{1}\}/.test(source.slice(i)));
    if (c === ')') {
      const group = groups.pop();
      const innerRepeats = group?.repeats ?? false;
      const next = source[i + 1];
      const quantified = next === '*' || next === '+' || (next === '{' && /^\{\d*,\d*\}/.test(source.slice(i + 1)));
      if (group && innerRepeats && quantified) {
        return `the group ${source.slice(group.start, i + 2)} repeats something that itself repeats; on some names that takes minutes. Write it without the nesting, e.g. [a-z0-9.-]+ instead of ([a-z0-9-]+\\.?)+`;
      }
      // The closed group counts as repeating inside its parent if it held a repeat or is repeated.
      if (groups.length > 0 && (innerRepeats || quantified)) groups[groups.length - 1]!.repeats = true;
      continue;
    }
    if (unbounded && groups.length > 0) groups[groups.length - 1]!.repeats = true;
  }
  return undefined;
}
