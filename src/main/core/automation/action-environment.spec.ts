import { describe, expect, it } from 'vitest';
import type { CertificateRecord } from '../../../shared/certificate';
import { actionEnvironment, envTaskName } from './action-environment';

describe('what an after-install action sees', () => {
  it('the files, serial and thumbprint, VCert\'s setEnvVars, and nothing of the satellite\'s own', () => {
    const previous = { ...process.env };
    process.env.SATELLITE_DEK_PASSPHRASE = 'must not leak';
    process.env.SATELLITE_API_KEY = 'must not leak either';
    process.env.SOME_OTHER_SECRET = 'nor this';
    try {
      const certificate = { id: 'c1', serialNumber: '0A1B', fingerprint: 'ABCDEF', certificateName: 'web.test', validityEnd: '2027-01-01T00:00:00Z' } as CertificateRecord;
      const env = actionEnvironment(
        { name: 'web site-1', setEnvVars: ['thumbprint', 'serial', 'base64'] },
        { format: 'PEM', file: '/t/a.crt', chainFile: '/t/c.pem', keyFile: '/t/a.key', actionTimeoutSeconds: 60 },
        certificate,
        '-----BEGIN CERTIFICATE-----\nQUJD\nREVG\n-----END CERTIFICATE-----\n',
      );
      expect(env).toMatchObject({
        KEYPAIR_CERT_FILE: '/t/a.crt',
        KEYPAIR_CHAIN_FILE: '/t/c.pem',
        KEYPAIR_KEY_FILE: '/t/a.key',
        KEYPAIR_SERIAL: '0A1B',
        KEYPAIR_THUMBPRINT: 'ABCDEF',
        VCERT_WEB_SITE_1_THUMBPRINT: 'ABCDEF',
        VCERT_WEB_SITE_1_SERIAL: '0A1B',
        VCERT_WEB_SITE_1_BASE64: 'QUJDREVG',
      });
      expect(Object.keys(env).filter((k) => k.startsWith('SATELLITE_') || k === 'SOME_OTHER_SECRET')).toEqual([]);
      expect(envTaskName('Java app')).toBe('JAVA_APP');
    } finally {
      process.env = previous;
    }
  });
});
