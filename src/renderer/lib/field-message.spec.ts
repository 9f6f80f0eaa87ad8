import { describe, expect, it } from 'vitest';
import { SatelliteError } from '../client/satellite-error';
import { fieldMessage, unplacedErrors } from './field-message';

describe('field messages', () => {
  const error = new SatelliteError([
    { code: 40000, message: 'caSettings.directoryUrl: directoryUrl must be an absolute URL', args: { field: 'caSettings.directoryUrl' } },
    { code: 40000, message: 'the PKCS#12 file cannot be opened: wrong password', args: { field: 'passphrase' } },
    { code: 50000, message: 'the vault is locked' },
  ]);

  it('finds a field or a field inside it, without the path prefix', () => {
    expect(fieldMessage(error, 'caSettings.directoryUrl')).toBe('directoryUrl must be an absolute URL');
    expect(fieldMessage(error, 'caSettings')).toBe('directoryUrl must be an absolute URL');
    expect(fieldMessage(error, 'passphrase')).toBe('The PKCS#12 file cannot be opened: wrong password');
    expect(fieldMessage(error, 'pem')).toBeUndefined();
  });

  it('leaves for the alert what no shown field takes', () => {
    expect(unplacedErrors(error, ['passphrase']).map((e) => e.message)).toEqual([
      'caSettings.directoryUrl: directoryUrl must be an absolute URL',
      'the vault is locked',
    ]);
  });
});
