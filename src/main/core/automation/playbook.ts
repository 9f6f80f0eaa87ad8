import { parseDocument, type Document } from 'yaml';
import type { InstallationInput } from '../../../shared/automation';
import { ERROR_CODES } from '../../../shared/error-codes';
import { SatelliteError } from '../common/errors';

// The vendor's VCert playbook (README-PLAYBOOK.md, pkg/playbook), read as its YAML says it:
// certificateTasks[] with request, installations, renewBefore and setEnvVars. This satellite is the
// CA, so config.connection is not needed and is skipped with a note; keys that only mean something
// to the vendor's platforms are skipped with a note too; any other key is refused, naming it, since
// a misspelt `afterInstallActon` would otherwise never reload the server.

/** Each object's keys: true = read, 'note' = read past with a note saying why. */
const KEYS = {
  playbook: { certificateTasks: true, config: true },
  config: { connection: 'note' },
  task: { name: true, request: true, installations: true, renewBefore: true, setEnvVars: true },
  request: {
    zone: true,
    subject: true,
    sanDNS: true,
    sanIP: true,
    sanEmail: true,
    sanURI: true,
    keyType: true,
    keySize: true,
    keyCurve: true,
    keyPassword: true,
    validDays: true,
    csr: true,
    chain: true,
    cadn: 'note',
    fields: 'note',
    nickname: 'note',
    issuerHint: 'note',
    location: 'note',
    appInfo: 'note',
    omitSans: 'note',
    timeout: 'note',
    sanUPN: 'note',
  },
  subject: { commonName: true, country: true, locality: true, organization: true, orgUnits: true, province: true },
  installation: {
    format: true,
    type: true,
    file: true,
    chainFile: true,
    keyFile: true,
    jksAlias: true,
    jksPassword: true,
    useLegacyP12: true,
    location: true,
    capiIsNonExportable: true,
    afterInstallAction: true,
    installValidationAction: true,
    backupFiles: true,
    // VCert 5.0's names for the PEM files, still in older playbooks.
    pemCertFilename: true,
    pemChainFilename: true,
    pemKeyFilename: true,
  },
} as const satisfies Record<string, Record<string, true | 'note'>>;

const NOTES: Record<string, string> = {
  'config.connection': 'config.connection is not needed: this satellite is the CA, so the tasks use its applications and templates (zone) and no credentials',
  cadn: 'cadn is for the vendor\'s datacenter platform; the zone\'s template names the CA here',
  fields: 'fields (custom fields) are for the vendor\'s datacenter platform; skipped',
  nickname: 'nickname is for the vendor\'s datacenter platform; the certificate is named by its common name',
  issuerHint: 'issuerHint is for the vendor\'s datacenter platform; skipped',
  location: 'request.location (instance and workload) is for the vendor\'s platforms; skipped',
  appInfo: 'appInfo is for the vendor\'s datacenter platform; skipped',
  omitSans: 'omitSans is for the vendor\'s datacenter platform; skipped',
  timeout: 'request.timeout is not needed: the satellite waits for its CA itself',
  sanUPN: 'sanUPN (user principal names) is not issued by this satellite; skipped',
};

export interface PlaybookTask {
  name: string;
  zone: string;
  renewBefore?: string;
  setEnvVars: string[];
  csrAttributes: Record<string, unknown>;
  /** ISO 8601, from validDays. */
  validityPeriod?: string;
  installations: InstallationInput[];
}

export interface ParsedPlaybook {
  tasks: PlaybookTask[];
  notes: string[];
}

interface Problem {
  field: string;
  message: string;
}

/** Reads a playbook; every problem at once, each naming its key path (certificateTasks[0].installations[1].fromat). */
export function parsePlaybook(text: string): ParsedPlaybook {
  const doc: Document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    throw refused([{ field: 'yaml', message: `the playbook is not valid YAML: ${first.message.split('\n')[0]}` }]);
  }
  const problems: Problem[] = [];
  const notes = new Set<string>();
  const root = doc.toJS() as unknown;
  if (!isObject(root)) throw refused([{ field: 'yaml', message: 'the playbook must be a YAML mapping with certificateTasks (and config)' }]);
  checkKeys(root, 'playbook', '', problems, notes);
  if (isObject(root.config)) checkKeys(root.config, 'config', 'config', problems, notes);
  const tasksValue = root.certificateTasks;
  if (!Array.isArray(tasksValue) || tasksValue.length === 0) problems.push({ field: 'certificateTasks', message: 'certificateTasks is required: at least one task with request and installations' });
  const tasks: PlaybookTask[] = [];
  const names = new Set<string>();
  (Array.isArray(tasksValue) ? tasksValue : []).forEach((value, t) => {
    const at = `certificateTasks[${t}]`;
    if (!isObject(value)) return problems.push({ field: at, message: `${at} must be a mapping with name, request and installations` });
    checkKeys(value, 'task', at, problems, notes);
    const name = typeof value.name === 'string' ? value.name.trim() : '';
    if (!name) problems.push({ field: `${at}.name`, message: `${at}.name is required` });
    else if (names.has(name)) problems.push({ field: `${at}.name`, message: `task "${name}" is defined more than once; each task needs its own name` });
    names.add(name);
    const request = isObject(value.request) ? value.request : undefined;
    if (!request) problems.push({ field: `${at}.request`, message: `${at}.request is required: zone and subject.commonName at least` });
    else checkKeys(request, 'request', `${at}.request`, problems, notes);
    const subject = request && isObject(request.subject) ? request.subject : undefined;
    if (subject) checkKeys(subject, 'subject', `${at}.request.subject`, problems, notes);
    if (request && typeof request.zone !== 'string') problems.push({ field: `${at}.request.zone`, message: `${at}.request.zone is required: "Application\\\\Template alias" of this satellite` });
    if (!subject || typeof subject.commonName !== 'string') problems.push({ field: `${at}.request.subject.commonName`, message: `${at}.request.subject.commonName is required` });
    if (request?.csr !== undefined && request.csr !== 'local') {
      problems.push({ field: `${at}.request.csr`, message: `${at}.request.csr is "${String(request.csr)}": this satellite always makes the key and CSR itself (csr: local)` });
    }
    const installations = Array.isArray(value.installations) ? value.installations : [];
    if (installations.length === 0) problems.push({ field: `${at}.installations`, message: `${at}.installations is required: at least one place to install the certificate` });
    const keyPassword = typeof request?.keyPassword === 'string' ? request.keyPassword : undefined;
    const mapped = installations.map((i: unknown, n: number) => {
      const where = `${at}.installations[${n}]`;
      if (!isObject(i)) {
        problems.push({ field: where, message: `${where} must be a mapping with format and file` });
        return undefined;
      }
      checkKeys(i, 'installation', where, problems, notes);
      return installationOf(i, keyPassword);
    });
    if (!request || !subject) return;
    tasks.push({
      name,
      zone: String(request.zone ?? ''),
      ...(value.renewBefore !== undefined ? { renewBefore: String(value.renewBefore) } : {}),
      setEnvVars: Array.isArray(value.setEnvVars) ? value.setEnvVars.map((v: unknown) => String(v).toLowerCase()) : [],
      csrAttributes: csrAttributesOf(request, subject),
      ...(request.validDays !== undefined ? { validityPeriod: `P${String(request.validDays).split('#')[0]!.trim()}D` } : {}),
      installations: mapped.filter((i): i is InstallationInput => i !== undefined),
    });
  });
  if (problems.length > 0) throw refused(problems);
  return { tasks, notes: [...notes] };
}

function installationOf(i: Record<string, unknown>, keyPassword: string | undefined): InstallationInput {
  const format = String(i.format ?? i.type ?? '').toUpperCase().replace('PKCS#12', 'PKCS12');
  const text = (v: unknown) => (v === undefined || v === null ? undefined : String(v));
  const out: Record<string, unknown> = {
    format,
    file: text(i.file ?? i.pemCertFilename),
    chainFile: text(i.chainFile ?? i.pemChainFilename),
    keyFile: text(i.keyFile ?? i.pemKeyFilename),
    jksAlias: text(i.jksAlias),
    jksPassword: text(i.jksPassword),
    useLegacyP12: i.useLegacyP12 === undefined ? undefined : Boolean(i.useLegacyP12),
    location: text(i.location),
    capiIsNonExportable: i.capiIsNonExportable === undefined ? undefined : Boolean(i.capiIsNonExportable),
    afterInstallAction: text(i.afterInstallAction),
    installValidationAction: text(i.installValidationAction),
    backupFiles: i.backupFiles === undefined ? undefined : Boolean(i.backupFiles),
    keyPassword,
  };
  // VCert writes a PEM key unencrypted when the request has no keyPassword: said here, not assumed.
  if (format === 'PEM' && keyPassword === undefined) out.unencryptedKey = true;
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as InstallationInput;
}

const CURVES: Record<string, string> = { P256: 'P256', P384: 'P384', P521: 'P521', ED25519: 'ED25519' };

function csrAttributesOf(request: Record<string, unknown>, subject: Record<string, unknown>): Record<string, unknown> {
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)]);
  const keyType = String(request.keyType ?? 'RSA').toUpperCase();
  const ec = keyType === 'ECDSA' || keyType === 'EC' || keyType === 'ECC' || keyType === 'ED25519';
  const curve = keyType === 'ED25519' ? 'ED25519' : CURVES[String(request.keyCurve ?? 'P256').toUpperCase().replace('-', '')] ?? String(request.keyCurve);
  return {
    commonName: subject.commonName,
    ...(subject.organization !== undefined ? { organization: String(subject.organization) } : {}),
    ...(subject.orgUnits !== undefined ? { organizationalUnits: list(subject.orgUnits) } : {}),
    ...(subject.locality !== undefined ? { locality: String(subject.locality) } : {}),
    ...(subject.province !== undefined ? { state: String(subject.province) } : {}),
    ...(subject.country !== undefined ? { country: String(subject.country) } : {}),
    subjectAlternativeNamesByType: {
      dnsNames: list(request.sanDNS),
      ipAddresses: list(request.sanIP),
      rfc822Names: list(request.sanEmail),
      uniformResourceIdentifiers: list(request.sanURI),
    },
    keyTypeParameters: ec ? { keyType: 'EC', keyCurve: curve } : { keyType: 'RSA', keyLength: Number(request.keySize ?? 2048) },
  };
}

function checkKeys(value: Record<string, unknown>, kind: keyof typeof KEYS, at: string, problems: Problem[], notes: Set<string>): void {
  const known = KEYS[kind] as Record<string, true | 'note'>;
  for (const key of Object.keys(value)) {
    const field = at ? `${at}.${key}` : key;
    const how = known[key];
    if (how === 'note') notes.add(NOTES[kind === 'config' ? `config.${key}` : key] ?? `${field} is skipped`);
    else if (!how) problems.push({ field, message: `unknown key "${key}" at ${field}: ${at || 'the playbook'} takes ${Object.keys(known).join(', ')}` });
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function refused(problems: Problem[]): SatelliteError {
  return new SatelliteError(
    ERROR_CODES.VALIDATION,
    `the playbook cannot be used: ${problems.map((p) => p.message).join('; ')}`,
    400,
    problems.map((p) => ({ ...p })),
  );
}

