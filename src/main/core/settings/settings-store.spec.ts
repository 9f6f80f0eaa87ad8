import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ERROR_CODES } from '../../../shared/error-codes';
import { SERVER_PLATFORMS, type IssuingTemplateInput } from '../../../shared/settings';
import { openSettingsStore, type SettingsStore } from './settings-store';
import { SettingsError } from './settings-error';

let dir: string;
let settings: SettingsStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ks-settings-'));
  settings = openSettingsStore({ dataDir: dir });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function refusal(fn: () => unknown): SettingsError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SettingsError);
    return e as SettingsError;
  }
  throw new Error('expected a SettingsError');
}

const acmeTemplate = (over: Partial<IssuingTemplateInput> = {}): IssuingTemplateInput => ({
  name: 'Pebble',
  certificateAuthority: 'ACME',
  caSettings: { type: 'ACME', directoryUrl: 'https://127.0.0.1:14000/dir', challenge: { type: 'http-01' } },
  keyTypes: [{ keyType: 'EC', keyCurves: ['P256'] }],
  validityPeriod: 'P90D',
  ...over,
});

describe('SettingsStore: first run', () => {
  it('writes settings.json in the data directory with the Built-in CA template and a Default application mapping to it', () => {
    expect(settings.path).toBe(join(dir, 'settings.json'));
    expect(statSync(settings.path).mode & 0o777).toBe(0o600);

    const [template, ...moreTemplates] = settings.listIssuingTemplates();
    expect(moreTemplates).toEqual([]);
    expect(template).toMatchObject({
      name: 'Built-in CA',
      certificateAuthority: 'BUILTIN',
      caSettings: { type: 'BUILTIN' },
      keyTypes: [
        { keyType: 'RSA', keyLengths: [2048, 3072, 4096] },
        { keyType: 'EC', keyCurves: ['P256', 'P384', 'P521', 'ED25519'] },
      ],
      validityPeriod: 'P397D',
      defaultValidityPeriod: 'P90D',
      subjectCNRegexes: ['.*'],
      sanRegexes: ['.*'],
      extendedKeyUsageValues: ['SERVER_AUTH', 'CLIENT_AUTH'],
    });
    expect(template!.id).toMatch(UUID);

    const [app, ...moreApps] = settings.listApplications();
    expect(moreApps).toEqual([]);
    expect(app).toMatchObject({ name: 'Default', certificateIssuingTemplateAliasIdMap: { Default: template!.id } });
    expect(app!.id).toMatch(UUID);
    expect(settings.getTemplateByAlias('default', 'Default')).toEqual(template);
    expect(settings.getApplicationByName('DEFAULT')).toEqual(app);
  });

  it('lists the 8 server types with their keystore formats and fixed ids', () => {
    const types = settings.listServerTypes();
    expect(types.map((t) => `${t.platformName}:${t.keystoreType}`)).toEqual([
      'Apache:PEM',
      'IIS:PKCS12',
      'F5:PEM',
      'Nginx:PEM',
      'Tomcat:JKS',
      'Citrix:PKCS12',
      'Jetty:JKS',
      'Other:PEM',
    ]);
    expect(types.map((t) => t.platformName).sort()).toEqual([...SERVER_PLATFORMS].sort());
    for (const t of types) {
      expect(t.id).toMatch(UUID);
      expect(settings.getServerType(t.id)).toEqual(t);
    }
    expect(settings.getServerType('nope')).toBeUndefined();
  });

  it('seeds only once: a reopen keeps the same ids and the user’s changes', () => {
    const app = settings.listApplications()[0]!;
    settings.saveApplication({ ...app, description: 'mine' });
    settings = openSettingsStore({ dataDir: dir });
    expect(settings.listApplications()).toHaveLength(1);
    expect(settings.getApplication(app.id)?.description).toBe('mine');
    expect(settings.listIssuingTemplates()).toHaveLength(1);
  });

  it('refuses a hand-edited file with invalid entries, naming the entry and field', () => {
    const file = JSON.parse(readFileSync(settings.path, 'utf8'));
    file.issuingTemplates[0].validityPeriod = 'ninety days';
    writeFileSync(settings.path, JSON.stringify(file));
    expect(() => openSettingsStore({ dataDir: dir })).toThrow(/issuingTemplates\.0\.validityPeriod: must be an ISO 8601 duration/);
  });
});

describe('SettingsStore: applications', () => {
  it('creates with a new UUID, updates by id, deletes', () => {
    const builtin = settings.listIssuingTemplates()[0]!;
    const created = settings.saveApplication({ name: 'Web shop', certificateIssuingTemplateAliasIdMap: { Web: builtin.id } });
    expect(created.id).toMatch(UUID);
    expect(created.description).toBe('');
    const updated = settings.saveApplication({ ...created, description: 'shop servers' });
    expect(updated).toMatchObject({ id: created.id, description: 'shop servers', creationDate: created.creationDate });
    expect(settings.getTemplateByAlias('Web shop', 'Web').id).toBe(builtin.id);
    settings.deleteApplication(created.id);
    expect(settings.getApplication(created.id)).toBeUndefined();
    expect(refusal(() => settings.deleteApplication(created.id)).code).toBe(ERROR_CODES.NOT_FOUND);
  });

  it('validation errors name every field at fault', () => {
    const e = refusal(() => settings.saveApplication({ name: '  ', certificateIssuingTemplateAliasIdMap: { Web: 'not-a-uuid' } }));
    expect(e.code).toBe(ERROR_CODES.VALIDATION);
    expect(e.fieldErrors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'name', message: 'name is required' }),
        expect.objectContaining({ field: 'certificateIssuingTemplateAliasIdMap.Web', message: 'must be a UUID' }),
      ]),
    );
    expect(e.message).toMatch(/name: name is required/);

    const missing = '0b0b0b0b-0b0b-4b0b-8b0b-0b0b0b0b0b0b';
    const refs = refusal(() => settings.saveApplication({ name: 'default', certificateIssuingTemplateAliasIdMap: { 'a.b': missing } }));
    expect(refs.fieldErrors).toEqual([
      { field: 'name', message: 'an application named "Default" already exists; choose another name', value: 'default' },
      { field: 'certificateIssuingTemplateAliasIdMap.a.b', message: `no issuing template with id ${missing}; pick one of the existing templates`, value: missing },
    ]);

    const unknownId = refusal(() => settings.saveApplication({ id: missing, name: 'x' }));
    expect(unknownId.code).toBe(ERROR_CODES.NOT_FOUND);
    expect(unknownId.message).toBe(`id: no application with id ${missing}; omit id to create one`);
  });

  it('getTemplateByAlias says what is missing', () => {
    expect(() => settings.getTemplateByAlias('Nope', 'Default')).toThrow('applicationName: no application named "Nope"');
    expect(() => settings.getTemplateByAlias('Default', 'Other')).toThrow('alias: application "Default" has no template alias "Other"; its aliases are: Default');
  });
});

describe('SettingsStore: issuing templates', () => {
  it('creates, updates and deletes a template; defaults come from the shared schema', () => {
    const t = settings.saveIssuingTemplate(acmeTemplate());
    expect(t.id).toMatch(UUID);
    expect(t.subjectCNRegexes).toEqual(['.*']);
    expect(t.caSettings).toMatchObject({ type: 'ACME', termsOfServiceAgreed: false, challenge: { mode: 'standalone', port: 80 } });
    const renamed = settings.saveIssuingTemplate({ ...t, name: 'Pebble 2' });
    expect(settings.getIssuingTemplate(t.id)?.name).toBe('Pebble 2');
    expect(renamed.creationDate).toBe(t.creationDate);
    settings.deleteIssuingTemplate(t.id);
    expect(settings.listIssuingTemplates()).toHaveLength(1);
  });

  it('validation errors name the field, the value and the fix', () => {
    const bad = refusal(() =>
      settings.saveIssuingTemplate(
        acmeTemplate({
          name: 'Built-in CA',
          keyTypes: [{ keyType: 'RSA', keyLengths: [1024 as 2048] }],
          validityPeriod: 'P90D',
          subjectCNRegexes: ['(unclosed'],
        }),
      ),
    );
    expect(bad.fieldErrors.map((f) => f.field)).toEqual(expect.arrayContaining(['keyTypes.0.keyLengths.0', 'subjectCNRegexes.0']));
    expect(bad.fieldErrors.find((f) => f.field === 'subjectCNRegexes.0')?.message).toBe('is not a valid regular expression');

    const cross = refusal(() =>
      settings.saveIssuingTemplate(
        acmeTemplate({ name: 'built-in ca', certificateAuthority: 'BUILTIN', defaultValidityPeriod: 'P120D', keyGeneratedByVenafiAllowed: false, csrUploadAllowed: false }),
      ),
    );
    expect(cross.fieldErrors).toEqual([
      { field: 'name', message: 'an issuing template named "Built-in CA" already exists; choose another name', value: 'built-in ca' },
      { field: 'caSettings.type', message: 'caSettings.type is ACME but certificateAuthority is BUILTIN; they must name the same CA', value: 'ACME' },
      { field: 'defaultValidityPeriod', message: 'the default validity P120D is longer than the maximum P90D', value: 'P120D' },
      { field: 'csrUploadAllowed', message: 'allow key generation by the satellite, CSR upload, or both; with neither no request can succeed', value: false },
    ]);
    expect(settings.listIssuingTemplates()).toHaveLength(1);
  });

  it('refuses to delete a template an application still maps, naming the application and alias', () => {
    const builtin = settings.listIssuingTemplates()[0]!;
    const e = refusal(() => settings.deleteIssuingTemplate(builtin.id));
    expect(e.code).toBe(ERROR_CODES.CONFLICT);
    expect(e.message).toBe('id: the template is still used by application "Default" (alias "Default"); remove it from the application first');
    expect(settings.getIssuingTemplate(builtin.id)).toBeDefined();
  });
});

describe('SettingsStore: reading', () => {
  it('sees a change another process wrote, and its own at once', () => {
    const elsewhere = openSettingsStore({ dataDir: dir });
    expect(settings.listApplications().map((a) => a.name)).toEqual(['Default']);
    elsewhere.saveApplication({ name: 'Payments', certificateIssuingTemplateAliasIdMap: {} });
    expect(settings.listApplications().map((a) => a.name)).toEqual(['Default', 'Payments']);
    settings.saveApplication({ name: 'Billing', certificateIssuingTemplateAliasIdMap: {} });
    expect(settings.getApplicationByName('billing')?.name).toBe('Billing');
    expect(elsewhere.listApplications()).toHaveLength(3);
  });

  it('sees the file edited by hand in place', () => {
    const path = join(dir, 'settings.json');
    const file = JSON.parse(readFileSync(path, 'utf8')) as { applications: { name: string }[] };
    file.applications[0]!.name = 'Renamed by hand';
    writeFileSync(path, JSON.stringify(file));
    expect(settings.listApplications()[0]?.name).toBe('Renamed by hand');
  });

  it('hands out settings no caller can change behind its back', () => {
    const [application] = settings.listApplications();
    expect(() => {
      (application as { name: string }).name = 'changed';
    }).toThrow(TypeError);
    expect(settings.listApplications()[0]?.name).toBe('Default');
  });
});
