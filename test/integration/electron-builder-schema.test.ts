import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';

// electron-builder's own schema (what `electron-builder` checks at build time) and its own YAML
// parser, so this test fails exactly when a real build would refuse the file.
const require = createRequire(import.meta.url);
const yaml = require(require.resolve('js-yaml', { paths: [require.resolve('app-builder-lib/package.json')] })) as { load(text: string): unknown };
const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
interface Section {
  target?: { target: string; arch: string[] }[];
  icon?: string;
  artifactName?: string;
  [option: string]: unknown;
}
type Platform = 'win' | 'mac' | 'linux';
const config = yaml.load(readFileSync(new URL('../../electron-builder.yml', import.meta.url), 'utf8')) as Section & Record<Platform | 'nsis' | 'dmg' | 'appImage' | 'deb', Section>;

// strict: false ignores electron-builder's custom `typeof` keyword (functions in JS configs).
const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);

interface BuilderConfigModule {
  getConfig(projectDir: string): Promise<unknown>;
  validateConfiguration(config: unknown, debugLogger: { isEnabled: boolean; add(): void }): Promise<void>;
}

describe('electron-builder.yml', () => {
  it("validates against electron-builder's JSON schema (ajv, draft-07)", () => {
    const valid = validate(config);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the schema check has teeth: an unknown key or a wrong type is refused', () => {
    expect(validate({ ...config, appIdd: 'typo' })).toBe(false);
    expect(validate({ ...config, mac: { ...config.mac, hardenedRuntime: 'yes' } })).toBe(false);
  });

  it("passes electron-builder's own loader and validateConfiguration, as `electron-builder` runs them", async () => {
    const builder = require('app-builder-lib/out/util/config/config') as BuilderConfigModule;
    const loaded = await builder.getConfig(fileURLToPath(new URL('../..', import.meta.url)));
    expect(loaded).toMatchObject({ appId: config.appId, productName: config.productName });
    await expect(builder.validateConfiguration(loaded, { isEnabled: false, add() {} })).resolves.toBeUndefined();
    await expect(builder.validateConfiguration({ ...(loaded as object), dmg: { titel: 'typo' } }, { isEnabled: false, add() {} })).rejects.toThrow(/configuration\.dmg/);
  });

  it('builds the installers the product promises, with icons and artifact names, and publishes nowhere', () => {
    const targets = (platform: Platform) => (config[platform].target ?? []).map((t) => `${t.target}:${t.arch.join('+')}`);
    expect(targets('win')).toEqual(['nsis:x64']);
    expect(targets('mac')).toEqual(['dmg:x64+arm64']);
    expect(targets('linux')).toEqual(['AppImage:x64', 'deb:x64']);
    expect(config).toMatchObject({
      appId: 'app.keypairsatellite.desktop',
      productName: 'Keypair Satellite',
      directories: { output: 'dist', buildResources: 'resources' },
      mac: { hardenedRuntime: true, category: 'public.app-category.developer-tools' },
      linux: { category: 'Utility;Security' },
      publish: null,
    });
    expect(config.linux.maintainer).toMatch(/<[^@\s]+@[^>\s]+>/);
    for (const platform of ['win', 'mac', 'linux'] as const) expect(config[platform].icon).toBe('resources/icon.png');
    for (const section of [config, config.nsis, config.dmg, config.appImage, config.deb]) expect(section.artifactName).toMatch(/\$\{version\}.*\$\{arch\}\.\$\{ext\}$/);
  });

  it('points at a real 512x512 PNG icon', () => {
    const png = readFileSync(new URL('../../resources/icon.png', import.meta.url));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([512, 512]);
  });
});
