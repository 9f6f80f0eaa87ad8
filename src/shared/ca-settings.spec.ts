import { describe, expect, it } from 'vitest';
import { acmeCaSettingsSchema } from './ca-settings';

describe('ACME http-01 settings', () => {
  const settings = (listenAddress?: string) => acmeCaSettingsSchema.safeParse({ type: 'ACME', directoryUrl: 'https://acme.example/directory', challenge: { type: 'http-01', ...(listenAddress === undefined ? {} : { listenAddress }) } });

  it('listens on every interface unless told otherwise, as a public CA needs', () => {
    expect(settings().data?.challenge).toMatchObject({ listenAddress: '0.0.0.0', port: 80 });
  });

  it('takes an IP address of this machine, and refuses a host name in words that say what to give', () => {
    expect(settings('127.0.0.1').success).toBe(true);
    expect(settings('::1').success).toBe(true);
    const refused = settings('my-server.example.com');
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toMatch(/must be an IP address of this machine, such as 0\.0\.0\.0 .* or 127\.0\.0\.1/);
  });
});
