import { describe, expect, it } from 'vitest';
import { cloudHttpError } from './cloud-errors';
import { splitCertificates } from '../../pki/pem';
import { validityPeriodOf } from './validity';

describe('cloud error mapping', () => {
  it('401 asks to check the key, whatever the body says', () => {
    const e = cloudHttpError('the certificate request', 401, { errors: [{ code: 1004, message: 'missing header' }] });
    expect(e.message).toBe('the cloud refused the API key: check it in Settings');
    expect(e.retryable).toBe(false);
  });

  it('quotes the cloud\'s messages and codes; 5xx and 429 are retryable', () => {
    const policy = cloudHttpError('the certificate request', 400, { errors: [{ code: 10726, message: 'subject value not allowed', args: { field: 'CN' } }] });
    expect(policy.message).toBe('The cloud refused the certificate request: subject value not allowed (code 10726)');
    expect(policy.retryable).toBe(false);
    expect(cloudHttpError('x', 503, 'Service Unavailable').retryable).toBe(true);
    expect(cloudHttpError('x', 429, {}).message).toBe('The cloud refused x: HTTP 429; the request will be retried later');
  });
});

describe('cloud formats', () => {
  it('writes validity as ISO 8601 durations', () => {
    expect(validityPeriodOf(90 * 86400)).toBe('P90D');
    expect(validityPeriodOf(12 * 3600)).toBe('PT12H');
    expect(validityPeriodOf(90)).toBe('PT90S');
  });

  it('splits a PEM bundle in order', () => {
    const a = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----';
    const b = '-----BEGIN CERTIFICATE-----\r\nBBBB\r\n-----END CERTIFICATE-----';
    expect(splitCertificates(`${a}\n${b}\n`)).toEqual([`${a}\n`, '-----BEGIN CERTIFICATE-----\nBBBB\n-----END CERTIFICATE-----\n']);
  });
});
