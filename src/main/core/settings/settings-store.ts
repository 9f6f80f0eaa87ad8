import { templateRuleErrors } from '../../../shared/template-rules';
import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import Conf from 'conf';
import type { z } from 'zod';
import { fieldErrorsFrom, type FieldError } from '../../../shared/field-errors';
import {
  applicationInputSchema,
  applicationSchema,
  issuingTemplateInputSchema,
  issuingTemplateSchema,
  uuidSchema,
  type Application,
  type ApplicationInput,
  type ApplicationServerType,
  type IssuingTemplate,
  type IssuingTemplateInput,
} from '../../../shared/settings';
import { SettingsError } from './settings-error';
import { firstRunSeed, SERVER_TYPES } from './seed';

// Settings live in one JSON file written by `conf`, the engine of electron-store: the same file
// (`settings.json` in the data directory) whether the Electron app or the headless satellite
// runs. conf replaces the file atomically on every write.

interface SettingsFile {
  schemaVersion: number;
  applications: Application[];
  issuingTemplates: IssuingTemplate[];
}

const SCHEMA_VERSION = 1;

const applicationSaveSchema = applicationInputSchema.extend({ id: uuidSchema.optional() });
const templateSaveSchema = issuingTemplateInputSchema.extend({ id: uuidSchema.optional() });

export type ApplicationSave = ApplicationInput & { id?: string };
export type IssuingTemplateSave = IssuingTemplateInput & { id?: string };

function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw SettingsError.validation(fieldErrorsFrom(r.error));
  return r.data;
}

const sameName = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * Applications, issuing templates and application server types. Every change is validated with
 * the shared schemas and the cross-references between them; a refusal is a SettingsError whose
 * fieldErrors name each field at fault.
 */
export class SettingsStore {
  private snapshot: { stamp: string; file: Readonly<SettingsFile> } | undefined;

  constructor(private readonly conf: Conf<SettingsFile>) {
    this.checkStoredFile();
  }

  /** The settings file (for diagnostics and backups). */
  get path(): string {
    return this.conf.path;
  }

  // ---- applications ------------------------------------------------------------------------

  listApplications(): Application[] {
    return this.file().applications;
  }

  getApplication(id: string): Application | undefined {
    return this.listApplications().find((a) => a.id === id);
  }

  /** Names are unique regardless of case, as in the cloud's /applications/name/{name}. */
  getApplicationByName(name: string): Application | undefined {
    return this.listApplications().find((a) => sameName(a.name, name));
  }

  /** Creates (no id) or updates (id of an existing application) an application. */
  saveApplication(input: ApplicationSave): Application {
    const parsed = parseOrThrow(applicationSaveSchema, input);
    const apps = this.listApplications();
    const existing = parsed.id === undefined ? undefined : apps.find((a) => a.id === parsed.id);
    if (parsed.id !== undefined && !existing) throw SettingsError.notFound('id', `no application with id ${parsed.id}; omit id to create one`, parsed.id);

    const errors: FieldError[] = [];
    const clash = apps.find((a) => a.id !== parsed.id && sameName(a.name, parsed.name));
    if (clash) errors.push({ field: 'name', message: `an application named "${clash.name}" already exists; choose another name`, value: parsed.name });
    const templateIds = new Set(this.listIssuingTemplates().map((t) => t.id));
    for (const [alias, templateId] of Object.entries(parsed.certificateIssuingTemplateAliasIdMap)) {
      if (!templateIds.has(templateId)) {
        errors.push({ field: `certificateIssuingTemplateAliasIdMap.${alias}`, message: `no issuing template with id ${templateId}; pick one of the existing templates`, value: templateId });
      }
    }
    if (errors.length > 0) throw SettingsError.validation(errors);

    const now = new Date().toISOString();
    const { id: _id, ...fields } = parsed;
    const saved = applicationSchema.parse({
      ...fields,
      id: existing?.id ?? randomUUID(),
      creationDate: existing?.creationDate ?? now,
      modificationDate: now,
    });
    this.conf.set('applications', existing ? apps.map((a) => (a.id === saved.id ? saved : a)) : [...apps, saved]);
    return saved;
  }

  deleteApplication(id: string): void {
    const apps = this.listApplications();
    if (!apps.some((a) => a.id === id)) throw SettingsError.notFound('id', `no application with id ${id}`, id);
    this.conf.set(
      'applications',
      apps.filter((a) => a.id !== id),
    );
  }

  // ---- issuing templates ----------------------------------------------------------------------

  listIssuingTemplates(): IssuingTemplate[] {
    return this.file().issuingTemplates;
  }

  getIssuingTemplate(id: string): IssuingTemplate | undefined {
    return this.listIssuingTemplates().find((t) => t.id === id);
  }

  /**
   * The template an application maps `alias` to (the cloud's
   * /applications/{appName}/certificateissuingtemplates/{alias}). Throws a NOT_FOUND SettingsError
   * naming what is missing: the application, or the alias (listing the ones it has).
   */
  getTemplateByAlias(appName: string, alias: string): IssuingTemplate {
    const app = this.getApplicationByName(appName);
    if (!app) throw SettingsError.notFound('applicationName', `no application named "${appName}"`, appName);
    const templateId = app.certificateIssuingTemplateAliasIdMap[alias];
    if (templateId === undefined) {
      const known = Object.keys(app.certificateIssuingTemplateAliasIdMap);
      throw SettingsError.notFound('alias', `application "${app.name}" has no template alias "${alias}"; its aliases are: ${known.join(', ') || '(none)'}`, alias);
    }
    const template = this.getIssuingTemplate(templateId);
    if (!template) throw SettingsError.notFound('alias', `alias "${alias}" of application "${app.name}" names template ${templateId}, which no longer exists`, alias);
    return template;
  }

  /** Creates (no id) or updates (id of an existing template) an issuing template. */
  saveIssuingTemplate(input: IssuingTemplateSave): IssuingTemplate {
    const parsed = parseOrThrow(templateSaveSchema, input);
    const templates = this.listIssuingTemplates();
    const existing = parsed.id === undefined ? undefined : templates.find((t) => t.id === parsed.id);
    if (parsed.id !== undefined && !existing) throw SettingsError.notFound('id', `no issuing template with id ${parsed.id}; omit id to create one`, parsed.id);

    const errors: FieldError[] = [];
    const clash = templates.find((t) => t.id !== parsed.id && sameName(t.name, parsed.name));
    if (clash) errors.push({ field: 'name', message: `an issuing template named "${clash.name}" already exists; choose another name`, value: parsed.name });
    errors.push(...templateRuleErrors(parsed));
    if (errors.length > 0) throw SettingsError.validation(errors);

    const now = new Date().toISOString();
    const { id: _id, ...fields } = parsed;
    const saved = issuingTemplateSchema.parse({
      ...fields,
      id: existing?.id ?? randomUUID(),
      creationDate: existing?.creationDate ?? now,
      modificationDate: now,
    });
    this.conf.set('issuingTemplates', existing ? templates.map((t) => (t.id === saved.id ? saved : t)) : [...templates, saved]);
    return saved;
  }

  /** Refused (CONFLICT, naming the applications and aliases) while an application still maps the template. */
  deleteIssuingTemplate(id: string): void {
    const templates = this.listIssuingTemplates();
    if (!templates.some((t) => t.id === id)) throw SettingsError.notFound('id', `no issuing template with id ${id}`, id);
    const users = this.listApplications().flatMap((app) =>
      Object.entries(app.certificateIssuingTemplateAliasIdMap)
        .filter(([, templateId]) => templateId === id)
        .map(([alias]) => `"${app.name}" (alias "${alias}")`),
    );
    if (users.length > 0) {
      throw SettingsError.conflict('id', `the template is still used by application ${users.join(', ')}; remove it from the application first`, id);
    }
    this.conf.set(
      'issuingTemplates',
      templates.filter((t) => t.id !== id),
    );
  }

  // ---- application server types --------------------------------------------------------------

  listServerTypes(): ApplicationServerType[] {
    return SERVER_TYPES.map((t) => ({ ...t }));
  }

  getServerType(id: string): ApplicationServerType | undefined {
    const t = SERVER_TYPES.find((s) => s.id === id);
    return t ? { ...t } : undefined;
  }

  // ---- internals ---------------------------------------------------------------------------------

  /**
   * The file's contents, read again only when the file changed. Every request looks up its
   * application and template, and conf reads and parses the whole file on each get. The file is
   * replaced by rename on every write (ours or another process's), so its inode, size and mtime
   * tell a change. Frozen: callers share one copy, and none may edit it behind the store's back.
   */
  private file(): Readonly<SettingsFile> {
    const stamp = fileStamp(this.conf.path);
    if (this.snapshot?.stamp !== stamp) this.snapshot = { stamp, file: deepFreeze(this.conf.store) };
    return this.snapshot.file;
  }

  /** A hand-edited file that no longer fits the schemas is reported with the entry and field, not half-used. */
  private checkStoredFile(): void {
    const problems: string[] = [];
    this.listApplications().forEach((a, i) => {
      const r = applicationSchema.safeParse(a);
      if (!r.success) problems.push(...fieldErrorsFrom(r.error, `applications.${i}`).map((e) => `${e.field}: ${e.message}`));
    });
    this.listIssuingTemplates().forEach((t, i) => {
      const r = issuingTemplateSchema.safeParse(t);
      if (!r.success) problems.push(...fieldErrorsFrom(r.error, `issuingTemplates.${i}`).map((e) => `${e.field}: ${e.message}`));
    });
    if (problems.length > 0) throw new Error(`The settings file ${this.path} has invalid entries; fix or remove them: ${problems.join('; ')}`);
  }
}

function fileStamp(path: string): string {
  try {
    const { ino, size, mtimeMs } = statSync(path);
    return `${ino}:${size}:${mtimeMs}`;
  } catch {
    return 'missing';
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

export interface OpenSettingsOptions {
  /** The app's data directory (Electron's userData); settings.json is written there. */
  dataDir: string;
}

/** Opens the settings in `dataDir`, seeding the Default application and the Built-in CA template on first run. */
export function openSettingsStore({ dataDir }: OpenSettingsOptions): SettingsStore {
  const conf = new Conf<SettingsFile>({
    cwd: dataDir,
    configName: 'settings',
    projectName: 'keypair-satellite',
    configFileMode: 0o600,
    // Template aliases and names may contain dots; keys are never paths.
    accessPropertiesByDotNotation: false,
  });
  const stored = conf.store as Partial<SettingsFile>;
  if (stored.schemaVersion === undefined) {
    // One write: the file holds everything of the first run, or nothing.
    conf.store = { ...firstRunSeed(), schemaVersion: SCHEMA_VERSION };
  } else if (stored.schemaVersion > SCHEMA_VERSION) {
    throw new Error(`The settings file ${conf.path} has schemaVersion ${stored.schemaVersion}, newer than this app understands (${SCHEMA_VERSION}); update the app.`);
  }
  return new SettingsStore(conf);
}
