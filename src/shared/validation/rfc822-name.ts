import { checkDnsName } from './dns-name';
import { deceptiveCharacter, hasControlCharacter, ok, problem, quoteValue, type CheckResult } from './text';

// An rfc822Name SAN is an IA5String mailbox, local-part@domain (RFC 5280 4.2.1.6). Only the
// dot-atom local part is accepted: quoted local parts and non-ASCII local parts
// (SmtpUTF8Mailbox) are rare in certificates and many tools mishandle them.
const DOT_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;

/** The address with its domain normalised (punycode, lower case), or the rule it breaks. */
export function checkRfc822Name(address: string): CheckResult {
  const shown = quoteValue(address);
  const invalid = (reason: string) => problem(`${shown} is not a valid email address: ${reason}`);
  if (address === '') return problem('an email address must not be empty');
  if (hasControlCharacter(address)) return invalid('it contains a control character (NUL, tab, line break, ...)');
  const deceptive = deceptiveCharacter(address);
  if (deceptive) return invalid(`it contains ${deceptive}, which makes a name look like another`);
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) return invalid('it must be local-part@domain, as in admin@example.com');
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (!DOT_ATOM.test(local)) {
    return invalid('the part before @ may contain only ASCII letters, digits and !#$%&\'*+/=?^_`{|}~- with single dots between them');
  }
  if (local.length > 64) return invalid(`the part before @ is ${local.length} characters; at most 64`);
  const checkedDomain = checkDnsName(domain, { allowWildcard: false });
  if (!checkedDomain.ok) return invalid(`its domain is wrong: ${checkedDomain.problem}`);
  const normalised = `${local}@${checkedDomain.value}`;
  if (normalised.length > 254) return invalid(`it is ${normalised.length} characters; an address is at most 254`);
  return ok(normalised);
}
