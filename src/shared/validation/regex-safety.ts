// JavaScript's regex engine backtracks: a repeated group that itself repeats, such as (\w+\s?)+,
// can take minutes on one crafted name and stall the whole satellite (one thread). Templates are
// checked when saved, so such a pattern never reaches the policy.

/** How often a quantifier lets what precedes it repeat: 0 at most once, 1 a few times, 2 many times. */
type Repeats = 0 | 1 | 2;

/** Bounds up to this many repetitions ({1,4}, {1,7}) stay cheap however they nest with each other. */
const SMALL_BOUND = 8;

/**
 * The quantifier at `source[at]`: *, +, {n,} and {n,m} over SMALL_BOUND repeat many times; other
 * {n,m} a few; ?, {0,1}, exact counts and no quantifier count as once.
 */
function repeatsAt(source: string, at: number, exactCounts: Repeats = 0): Repeats {
  const c = source[at];
  if (c === '*' || c === '+') return 2;
  if (c !== '{') return 0;
  const bound = /^\{(\d*)(,?)(\d*)\}/.exec(source.slice(at));
  if (!bound) return 0;
  const min = Number(bound[1] || 0);
  const max = bound[2] === '' ? min : bound[3] === '' ? Infinity : Number(bound[3]);
  // An exact count ({2}, {7,7}) leaves the engine no choice of its own, but it multiplies the
  // choices of what it repeats: (\w+){8} splits a name eight ways.
  if (max === min) return max > 1 ? exactCounts : 0;
  return max > SMALL_BOUND ? 2 : max > 1 ? 1 : 0;
}

/**
 * Why `source` could backtrack catastrophically, or undefined: a group repeated many times that
 * holds a repeat, or a group repeated a few times that holds an unbounded one ((\w+){8} is
 * already n^8). Small bounds inside small bounds are allowed: the cloud's own IPv6 pattern, which
 * vcert's set_policy sends, nests {1,4} inside {1,7}.
 */
export function nestedQuantifierProblem(source: string): string | undefined {
  // Per open group: where it starts, and the most anything inside it repeats.
  const groups: { start: number; inner: Repeats }[] = [];
  const raise = (level: Repeats) => {
    const open = groups[groups.length - 1];
    if (open && level > open.inner) open.inner = level;
  };
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
      groups.push({ start: i, inner: 0 });
      continue;
    }
    if (c === ')') {
      const group = groups.pop();
      const inner = group?.inner ?? 0;
      const outer = repeatsAt(source, i + 1, 1);
      if (group && inner > 0 && outer > 0 && inner + outer >= 3) {
        return `the group ${source.slice(group.start, i + 2)} repeats something that itself repeats; on some names that takes minutes. Write it without the nesting, e.g. [a-z0-9.-]+ instead of ([a-z0-9-]+\\.?)+`;
      }
      // The closed group repeats inside its parent as much as it holds or is repeated.
      raise(Math.max(inner, repeatsAt(source, i + 1)) as Repeats);
      continue;
    }
    raise(repeatsAt(source, i));
  }
  return undefined;
}
