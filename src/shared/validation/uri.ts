import { deceptiveCharacter, hasControlCharacter, ok, problem, quoteValue, type CheckResult } from './text';

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;
const VISIBLE_ASCII = /^[\x21-\x7e]+$/;

/** An absolute URI (RFC 3986: scheme ":" ...), ASCII as an IA5String requires; kept as given. */
export function checkUri(uri: string): CheckResult {
  const shown = quoteValue(uri);
  const invalid = (reason: string) => problem(`${shown} is not a valid URI: ${reason}`);
  if (uri === '') return problem('a URI must not be empty');
  if (hasControlCharacter(uri)) return invalid('it contains a control character (NUL, tab, line break, ...)');
  const deceptive = deceptiveCharacter(uri);
  if (deceptive) return invalid(`it contains ${deceptive}, which makes a name look like another`);
  if (/\s/u.test(uri)) return invalid('it contains a space; percent-encode it as %20');
  if (!SCHEME.test(uri)) return invalid('it must be absolute, with a scheme, as in https://example.com/path (a relative reference is not allowed)');
  let parsed: URL;
  try {
    parsed = new URL(uri);
  } catch {
    return invalid('it cannot be parsed as an absolute URI (check the part after the scheme)');
  }
  if (!VISIBLE_ASCII.test(uri)) return invalid(`a certificate holds URIs as ASCII; use the encoded form ${quoteValue(parsed.href)}`);
  return ok(uri);
}
