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
    [['--bogus'], /bogus/],
    [['positional'], /positional/],
  ])('refuses %j, naming the flag, the value and the fix', (argv, message) => {
    expect(() => parseCliOptions(argv, {})).toThrow(CliUsageError);
    expect(() => parseCliOptions(argv, {})).toThrow(message);
  });

  it('puts the data dir where Electron keeps userData', () => {
    expect(defaultDataDir('linux', {}, '/home/u')).toBe('/home/u/.config/Keypair Satellite');
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: '/x' }, '/home/u')).toBe('/x/Keypair Satellite');
    expect(defaultDataDir('darwin', {}, '/Users/u')).toBe('/Users/u/Library/Application Support/Keypair Satellite');
  });
});
