import { ok, problem, quoteValue, type CheckResult } from './text';

// Strict IP literals: what goes into a SAN iPAddress must be exactly 4 or 16 bytes, so the
// text is parsed here rather than trusted (no leading zeros, no zone ids, no shorthand IPv4).

const IPV4_OCTET = /^(?:0|[1-9]\d{0,2})$/;

/** The 4 bytes of a dotted-quad IPv4 address, or undefined. */
export function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes = new Uint8Array(4);
  for (const [i, part] of parts.entries()) {
    if (!IPV4_OCTET.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    bytes[i] = n;
  }
  return bytes;
}

const HEXTET = /^[0-9a-fA-F]{1,4}$/;

/** The 16-bit words of one side of `::`; an IPv4 tail only where the address ends. */
function wordsOf(part: string, ipv4TailAllowed: boolean): number[] | undefined {
  if (part === '') return [];
  const groups = part.split(':');
  const words: number[] = [];
  for (const [i, group] of groups.entries()) {
    if (ipv4TailAllowed && i === groups.length - 1 && group.includes('.')) {
      const v4 = parseIpv4(group);
      if (!v4) return undefined;
      words.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
    } else if (HEXTET.test(group)) {
      words.push(parseInt(group, 16));
    } else {
      return undefined;
    }
  }
  return words;
}

/** The 16 bytes of an IPv6 address (RFC 4291 text forms, IPv4 tail allowed), or undefined. */
export function parseIpv6(text: string): Uint8Array | undefined {
  if (text.length > 45 || !/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const compressed = halves.length === 2;
  const head = wordsOf(halves[0]!, !compressed);
  const tail = compressed ? wordsOf(halves[1]!, true) : [];
  if (!head || !tail) return undefined;
  const zeros = 8 - head.length - tail.length;
  if (compressed ? zeros < 1 : zeros !== 0) return undefined;
  const words = [...head, ...new Array<number>(zeros).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  for (const [i, w] of words.entries()) {
    bytes[2 * i] = w >> 8;
    bytes[2 * i + 1] = w & 0xff;
  }
  return bytes;
}

/** RFC 5952 canonical text of 16 bytes: lower case, longest run (2+) of zero words as `::`. */
export function formatIpv6(bytes: Uint8Array): string {
  // RFC 5952 section 5: IPv4-mapped addresses keep their dotted-quad tail.
  if (bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
    return `::ffff:${Array.from(bytes.subarray(12)).join('.')}`;
  }
  const words = Array.from({ length: 8 }, (_, i) => (bytes[2 * i]! << 8) | bytes[2 * i + 1]!);
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j;
  }
  const hex = (ws: number[]) => ws.map((w) => w.toString(16)).join(':');
  if (bestStart < 0) return hex(words);
  return `${hex(words.slice(0, bestStart))}::${hex(words.slice(bestStart + bestLength))}`;
}

/** Text of the 4 or 16 bytes of a SAN iPAddress. */
export function formatIpAddressBytes(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  if (bytes.length === 16) return formatIpv6(bytes);
  throw new Error(`an IP address has 4 or 16 bytes, not ${bytes.length}`);
}

/** The bytes a SAN iPAddress carries for this text, or undefined when it is not a strict IP literal. */
export function ipAddressBytes(text: string): Uint8Array | undefined {
  return text.includes(':') ? parseIpv6(text) : parseIpv4(text);
}

/** An IPv4 address as given, or an IPv6 address in its RFC 5952 form. */
export function checkIpAddress(text: string): CheckResult {
  const rule = 'an IP address is a dotted-quad IPv4 address such as 192.0.2.10 (no leading zeros) or an IPv6 address such as 2001:db8::1 (no zone id)';
  if (text.includes(':')) {
    const bytes = parseIpv6(text);
    return bytes ? ok(formatIpv6(bytes)) : problem(`${quoteValue(text)} is not a valid IPv6 address: ${rule}`);
  }
  return parseIpv4(text) ? ok(text) : problem(`${quoteValue(text)} is not a valid IPv4 address: ${rule}`);
}
