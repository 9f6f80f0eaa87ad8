import { z } from 'zod';
import { checkDnsName } from './validation/dns-name';
import { ipAddressBytes } from './validation/ip-address';

// Name constraints of the built-in CA (RFC 5280 4.2.1.10): the DNS names and IP ranges it may
// issue for, written into its issuing certificate so a leaked CA cannot mint certificates for the
// Internet, and checked by the policy before any key is made.

export interface NameConstraints {
  /** DNS subtrees: "internal.example.com" permits it and every name below it. */
  dns: string[];
  /** IP ranges in CIDR form: "10.0.0.0/8", "fd00::/8". */
  ip: string[];
}

/** A CIDR range as bytes: the address and the mask (4 + 4, or 16 + 16). */
export function cidrBytes(cidr: string): { address: Uint8Array; mask: Uint8Array } | undefined {
  const [text, bitsText] = cidr.split('/');
  const address = text ? ipAddressBytes(text) : undefined;
  if (!address || bitsText === undefined || !/^\d{1,3}$/.test(bitsText)) return undefined;
  const bits = Number(bitsText);
  if (bits > address.length * 8) return undefined;
  const mask = new Uint8Array(address.length);
  for (let i = 0; i < bits; i++) mask[i >> 3]! |= 0x80 >> (i & 7);
  return { address: address.map((b, i) => b & mask[i]!), mask };
}

/** Why `constraints` cannot be used (a field and a fix), or undefined. */
export function nameConstraintsProblem(constraints: NameConstraints): string | undefined {
  for (const dns of constraints.dns) {
    if (!checkDnsName(dns, { allowWildcard: false }).ok) return `permitted DNS name "${dns}" is not a DNS name; give one such as internal.example.com (it permits the name and every name below it)`;
  }
  for (const ip of constraints.ip) if (!cidrBytes(ip)) return `permitted IP range "${ip}" is not a CIDR range; give one such as 10.0.0.0/8 or fd00::/8`;
  // Without a DNS subtree every DNS name would be allowed (RFC 5280 constrains only the forms it names).
  if (constraints.dns.length === 0) return 'name constraints need at least one permitted DNS name (e.g. internal.example.com); IP ranges alone would leave every DNS name allowed';
  return undefined;
}

/** The constraints as every message and page words them: "DNS internal.example.com; IP 10.0.0.0/8" ("IP none" without a range). */
export function describeNameConstraints(constraints: NameConstraints): string {
  return `DNS ${constraints.dns.join(', ')}; IP ${constraints.ip.join(', ') || 'none'}`;
}

/** The entries of a list typed separated by commas or one per line, each trimmed (spaces inside kept, so a check names it as typed). */
export function listEntries(text: string): string[] {
  return text
    .split(/[,\n]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Name constraints as the UI and the RPC send them, checked by nameConstraintsProblem (the message names the value and the fix). */
export const nameConstraintsSchema = z
  .object({
    dns: z.array(z.string().trim().min(1).max(253)).max(64),
    ip: z.array(z.string().trim().min(1).max(64)).max(64).default([]),
  })
  .strict()
  .superRefine((constraints, ctx) => {
    const problem = nameConstraintsProblem(constraints);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: problem.startsWith('permitted IP') ? ['ip'] : ['dns'] });
  });

/** Whether a DNS name lies in a permitted subtree (the name itself or below it; a wildcard's base counts). */
export function dnsPermitted(name: string, constraints: NameConstraints): boolean {
  const n = name.toLowerCase().replace(/^\*\./, '');
  return constraints.dns.some((base) => {
    const b = base.toLowerCase();
    return n === b || n.endsWith(`.${b}`);
  });
}

/** Whether an IP address lies in a permitted range. With DNS constraints only, no IP is permitted (the CA's certificate excludes them all). */
export function ipPermitted(address: string, constraints: NameConstraints): boolean {
  const bytes = ipAddressBytes(address);
  if (!bytes) return false;
  return constraints.ip.some((cidr) => {
    const range = cidrBytes(cidr);
    return !!range && range.address.length === bytes.length && bytes.every((b, i) => (b & range.mask[i]!) === range.address[i]);
  });
}
