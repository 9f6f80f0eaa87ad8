// @peculiar/x509 resolves its providers through tsyringe, which needs the Reflect metadata polyfill first.
import 'reflect-metadata';
import type { Agent } from 'node:https';
import { AuthorityKeyIdentifierExtension, X509Certificate } from '@peculiar/x509';
import { CaError, type RenewalWindow } from '../connector';
import { getJson } from './directory';

/** RFC 9773 certificate identifier: base64url(AKI keyIdentifier) "." base64url(serial DER bytes). */
export function ariCertId(certPem: string): string {
  const cert = new X509Certificate(certPem);
  const aki = cert.getExtension(AuthorityKeyIdentifierExtension);
  if (!aki?.keyId) throw new CaError('The certificate has no Authority Key Identifier, so ACME Renewal Information cannot name it', false);
  let serialHex = cert.serialNumber.toLowerCase();
  if (serialHex.length % 2 === 1) serialHex = `0${serialHex}`;
  // DER INTEGER content: a positive serial whose top bit is set carries a leading zero byte.
  if (/^[89a-f]/.test(serialHex)) serialHex = `00${serialHex}`;
  return `${Buffer.from(aki.keyId, 'hex').toString('base64url')}.${Buffer.from(serialHex, 'hex').toString('base64url')}`;
}

export async function fetchRenewalWindow(renewalInfoUrl: string, certPem: string, agent: Agent | undefined, timeoutMs: number): Promise<RenewalWindow | undefined> {
  const url = `${renewalInfoUrl.replace(/\/$/, '')}/${ariCertId(certPem)}`;
  const { status, body, headers } = await getJson(url, agent, timeoutMs);
  if (status !== 200 || typeof body !== 'object' || body === null) return undefined;
  const window = (body as { suggestedWindow?: { start?: string; end?: string }; explanationURL?: string }).suggestedWindow;
  const start = new Date(window?.start ?? '');
  const end = new Date(window?.end ?? '');
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()) || end < start) return undefined;
  const result: RenewalWindow = { start, end };
  const explanation = (body as { explanationURL?: unknown }).explanationURL;
  if (typeof explanation === 'string') result.explanationUrl = explanation;
  const retryAfterSeconds = Number(headers['retry-after']);
  if (Number.isFinite(retryAfterSeconds) && retryAfterSeconds > 0) result.retryAfter = new Date(Date.now() + retryAfterSeconds * 1000);
  return result;
}
