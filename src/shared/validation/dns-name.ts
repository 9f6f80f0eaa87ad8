import { deceptiveCharacter, hasControlCharacter, ok, problem, quoteValue, type CheckResult } from './text';

// DNS names as certificates carry them (RFC 5280 dNSName, CA/B Baseline Requirements):
// LDH labels of 1-63 characters, at most 253 in all, a wildcard only as the whole left-most
// label, IDN labels converted to their punycode A-label, everything lower case.

/** Separators IDNA treats as a dot: full stop, ideographic, fullwidth and halfwidth full stops. */
const LABEL_SEPARATOR = /[.\u3002\uFF0E\uFF61]/;
const ASCII_LDH = /^[a-z0-9-]+$/;
const NON_ASCII = /\P{ASCII}/u;
/** ASCII that URL parsing would read as syntax (or reject), so an IDN label must not contain it. */
const ASCII_NOT_LDH = /[^\P{ASCII}A-Za-z0-9-]/u;
const PROBE_SUFFIX = '.invalid';

export interface DnsNameOptions {
  /** `*.example.com`; false for the domain of an email address. */
  allowWildcard?: boolean;
}

/**
 * The A-label of one IDN label. WHATWG URL applies UTS #46 processing to a host (mapping,
 * NFC, punycode) in every browser and in Node, so the renderer needs no punycode library.
 */
function toAsciiLabel(label: string): string | undefined {
  if (ASCII_NOT_LDH.test(label)) return undefined;
  let host: string;
  try {
    host = new URL(`http://${label}${PROBE_SUFFIX}/`).hostname;
  } catch {
    return undefined;
  }
  if (!host.endsWith(PROBE_SUFFIX)) return undefined;
  const ascii = host.slice(0, -PROBE_SUFFIX.length);
  // Mapping may turn a character into a dot or into nothing; either changes the name's shape.
  return ascii === '' || ascii.includes('.') ? undefined : ascii;
}

/** The normalised name (A-labels, lower case), or the rule it breaks. */
export function checkDnsName(name: string, { allowWildcard = true }: DnsNameOptions = {}): CheckResult {
  // Quoted only for an error: a valid name, the common case, costs no copy.
  const invalid = (reason: string) => problem(`${quoteValue(name)} is not a valid DNS name: ${reason}`);
  if (name === '') return problem('a DNS name must not be empty');
  if (hasControlCharacter(name)) return invalid('it contains a control character (NUL, tab, line break, ...)');
  const deceptive = deceptiveCharacter(name);
  if (deceptive) return invalid(`it contains ${deceptive}, which makes a name look like another`);
  if (/\s/u.test(name)) return invalid('it contains a space');
  if (LABEL_SEPARATOR.test(name.at(-1)!)) return invalid('it must not end with a dot');

  const labels = name.split(LABEL_SEPARATOR);
  const asciiLabels: string[] = [];
  for (const [index, label] of labels.entries()) {
    if (label === '') return invalid('it has an empty label (a dot at the start or two dots in a row)');
    if (label === '*') {
      if (index !== 0) return invalid('a wildcard is allowed only as the whole left-most label, as in *.example.com');
      if (!allowWildcard) return invalid('a wildcard is not allowed here');
      asciiLabels.push('*');
      continue;
    }
    if (label.includes('*')) return invalid(`a wildcard must be the whole left-most label, as in *.example.com, not part of the label ${quoteValue(label)}`);
    let ascii = label;
    if (NON_ASCII.test(label)) {
      const converted = toAsciiLabel(label);
      if (converted === undefined) return invalid(`the label ${quoteValue(label)} is not a valid internationalised label (it cannot be converted to punycode)`);
      ascii = converted;
    }
    ascii = ascii.toLowerCase();
    if (!ASCII_LDH.test(ascii)) return invalid(`the label ${quoteValue(label)} may contain only letters, digits and hyphens`);
    if (ascii.length > 63) return invalid(`the label ${quoteValue(label)} is ${ascii.length} characters; a label is at most 63`);
    if (ascii.startsWith('-') || ascii.endsWith('-')) return invalid(`the label ${quoteValue(label)} must not start or end with a hyphen`);
    asciiLabels.push(ascii);
  }
  if (asciiLabels[0] === '*' && asciiLabels.length < 3) return invalid('a wildcard needs at least two labels after it, as in *.example.com');
  if (/^\d+$/.test(asciiLabels.at(-1)!)) return invalid('the last label is all digits; an IP address belongs in ipAddresses');
  const normalised = asciiLabels.join('.');
  if (normalised.length > 253) return invalid(`it is ${normalised.length} characters; a DNS name is at most 253`);
  return ok(normalised);
}

/** A DNS name checked by checkDnsName that has at least two labels, e.g. a CN such as www.example.com (not "Jane Doe", not "admin"). */
export function isMultiLabelHostname(checked: CheckResult): boolean {
  return checked.ok && checked.value.includes('.');
}
