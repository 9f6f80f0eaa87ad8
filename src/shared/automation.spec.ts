import { describe, expect, it } from 'vitest';
import { automationInputSchema, renewAtByRule } from './automation';

const hour = { validityStart: '2026-12-06T10:00:00.000Z', validityEnd: '2026-12-06T11:00:00.000Z' };

describe('renewBefore', () => {
  it('is a time before the end, a share of the lifetime left, or never', () => {
    expect(renewAtByRule('58m', hour)?.toISOString()).toBe('2026-12-06T10:02:00.000Z');
    expect(renewAtByRule('1h', hour)?.toISOString()).toBe('2026-12-06T10:00:00.000Z');
    expect(renewAtByRule('30d', { validityStart: '2026-01-01T00:00:00Z', validityEnd: '2026-04-01T00:00:00Z' })?.toISOString()).toBe('2026-03-02T00:00:00.000Z');
    expect(renewAtByRule('25%', hour)?.toISOString()).toBe('2026-12-06T10:45:00.000Z');
    expect(renewAtByRule('disabled', hour)).toBeUndefined();
    expect(renewAtByRule('0', hour)).toBeUndefined();
  });
});

describe('automationInputSchema', () => {
  const base = { certificateId: '3f0c2a51-8d7e-4b7a-9a57-0c8b8a3b2f10', name: 'web' };
  const issues = (input: unknown) => automationInputSchema.safeParse(input).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];

  it('asks a PEM key for a passphrase or an explicit unencryptedKey, and names each missing file', () => {
    expect(issues({ ...base, installations: [{ format: 'PEM', file: '/etc/a.crt' }] })).toEqual([
      'installations.0.chainFile: chainFile is required for PEM: where the chain goes',
      'installations.0.keyFile: keyFile is required for PEM: where the private key goes',
      'installations.0.keyPassword: keyPassword is required to encrypt the PEM key; or set unencryptedKey: true to write it unencrypted (mode 0600), as nginx and Apache read it',
    ]);
    expect(issues({ ...base, installations: [{ format: 'PEM', file: '/a', chainFile: '/b', keyFile: '/c', unencryptedKey: true }] })).toEqual([]);
  });

  it('refuses relative paths, short JKS passwords, unknown stores, fields it does not know and a bad renewBefore', () => {
    expect(issues({ ...base, renewBefore: '30 days', installations: [{ format: 'JKS', file: 'app.jks', jksAlias: 'a', jksPassword: 'short' }] })).toEqual([
      'renewBefore: renewBefore must be a time before the end such as 30d, 10h or 58m, a share of the lifetime left such as 15%, or disabled',
      'installations.0.file: file must be an absolute path, such as /etc/nginx/tls/site.crt',
      'installations.0.jksPassword: jksPassword must be at least 6 characters (keytool refuses shorter ones)',
    ]);
    expect(issues({ ...base, installations: [{ format: 'CAPI', location: 'Machine\\My' }] })).toEqual(['installations.0.location: location must be a Windows certificate store such as LocalMachine\\My or CurrentUser\\My']);
    expect(issues({ ...base, installations: [{ format: 'PKCS12', file: '/a.p12', keyPassword: 'x', pasword: 'y' }] })[0]).toContain('pasword');
    expect(issues({ ...base, installations: [] })).toEqual(['installations: installations: add at least one place to install the certificate']);
  });
});
