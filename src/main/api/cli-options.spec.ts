import { describe, expect, it } from 'vitest';
import { defaultDataDir } from './app-data-dir';
import { CliUsageError, DEFAULT_PORT, parseCliOptions } from './cli-options';

describe('parseCliOptions', () => {
  it('defaults to loopback, the default port, the keychain and the OS app-data dir', () => {
    const o = parseCliOptions([], {});
    expect(o).toMatchObject({ host: '127.0.0.1', listenExplicit: false, port: DEFAULT_PORT, dekStore: 'keychain', dataDir: defaultDataDir() });
  });

  it('reads every flag and the environment', () => {
    const o = parseCliOptions(['--data-dir', '/tmp/x', '--port', '0', '--listen', '::1', '--api-key-file', '/tmp/k', '--dek-store', 'file'], {
      SATELLITE_DEK_PASSPHRASE: 'pw',
      SATELLITE_API_KEY: 'key',
    });
    expect(o).toMatchObject({ dataDir: '/tmp/x', port: 0, host: '::1', listenExplicit: true, apiKeyFile: '/tmp/k', dekStore: 'file', dekPassphrase: 'pw', apiKey: 'key' });
  });

  it.each([
    [['--port', 'abc'], /--port "abc".*0 to 65535/],
    [['--port', '70000'], /--port "70000"/],
    [['--port', '-1'], /--port/],
    [['--listen', 'example.com'], /--listen "example.com" is not an IP address/],
    [['--dek-store', 'vault'], /--dek-store "vault".*keychain.*file/],
    [['--dek-store', 'file'], /SATELLITE_DEK_PASSPHRASE/],
    [['--backup-dek', '/tmp/b.json'], /--backup-dek needs the backup passphrase: set SATELLITE_DEK_BACKUP_PASSPHRASE/],
    [['--restore-dek', '/tmp/b.json'], /--restore-dek needs the backup passphrase/],
    [['--restore-dek', ''], /--restore-dek "" is empty/],
    [['--rotate-dek', '--backup-dek', '/tmp/b.json'], /--backup-dek and --rotate-dek were both given; run one DEK command at a time/],
    [['--new-issuing-ca', '--rotate-dek'], /--new-issuing-ca and --rotate-dek were both given; run one command at a time/],
    [['--new-issuing-ca', '--ca-permitted-ip', '10.0.0.0/8'], /--ca-permitted-dns\/--ca-permitted-ip: name constraints need at least one permitted DNS name/],
    [['--bogus'], /bogus/],
    [['positional'], /positional/],
  ])('refuses %j, naming the flag, the value and the fix', (argv, message) => {
    expect(() => parseCliOptions(argv, {})).toThrow(CliUsageError);
    expect(() => parseCliOptions(argv, {})).toThrow(message);
  });

  it('reads --new-issuing-ca, the constraints then being the new issuing CA\'s, not a check on the CA as it opens', () => {
    expect(parseCliOptions(['--new-issuing-ca'], {})).toMatchObject({ newIssuingCa: { nameConstraints: undefined } });
    const constrained = parseCliOptions(['--new-issuing-ca', '--ca-permitted-dns', 'internal.example.com, lab.example.com', '--ca-permitted-ip', '10.0.0.0/8'], {});
    expect(constrained.newIssuingCa).toEqual({ nameConstraints: { dns: ['internal.example.com', 'lab.example.com'], ip: ['10.0.0.0/8'] } });
    expect(constrained.caNameConstraints).toBeUndefined();
    expect(parseCliOptions(['--ca-permitted-dns', 'internal.example.com'], {})).toMatchObject({ caNameConstraints: { dns: ['internal.example.com'], ip: [] } });
    expect(parseCliOptions(['--ca-permitted-dns', 'internal.example.com'], {}).newIssuingCa).toBeUndefined();
  });

  it('reads the DEK commands, with the backup passphrase from the environment only', () => {
    const env = { SATELLITE_DEK_BACKUP_PASSPHRASE: 'a long backup passphrase' };
    expect(parseCliOptions(['--backup-dek', '/tmp/b.json'], env)).toMatchObject({ dekCommand: { kind: 'backup', file: '/tmp/b.json' }, dekBackupPassphrase: env.SATELLITE_DEK_BACKUP_PASSPHRASE });
    expect(parseCliOptions(['--restore-dek', '/tmp/b.json'], env)).toMatchObject({ dekCommand: { kind: 'restore', file: '/tmp/b.json' } });
    const rotate = parseCliOptions(['--rotate-dek'], env);
    expect(rotate.dekCommand).toEqual({ kind: 'rotate' });
    expect(rotate.dekBackupPassphrase).toBeUndefined();
    expect(parseCliOptions([], env).dekCommand).toBeUndefined();
  });

  it('puts the data dir where Electron keeps userData', () => {
    expect(defaultDataDir('linux', {}, '/home/u')).toBe('/home/u/.config/Keypair Satellite');
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: '/x' }, '/home/u')).toBe('/x/Keypair Satellite');
    expect(defaultDataDir('darwin', {}, '/Users/u')).toBe('/Users/u/Library/Application Support/Keypair Satellite');
  });
});
