import { automationInputSchema, type AutomationDetail } from '../../../shared/automation';
import { certificateRequestBodySchema, type CertificateRequestRecord } from '../../../shared/certificate-request';
import { ERROR_CODES } from '../../../shared/error-codes';
import { SatelliteError } from '../common/errors';
import type { SettingsStore } from '../settings';
import type { InventoryStore } from '../store';
import type { AutomationService } from './automation-service';
import { parsePlaybook, type PlaybookTask } from './playbook';

export interface PlaybookImportDeps {
  automations: AutomationService;
  /** Where a zone's application and template alias are looked up. */
  settings: Pick<SettingsStore, 'getApplicationByName' | 'getTemplateByAlias'>;
  store: Pick<InventoryStore, 'getCertificate'>;
  /** Requests a certificate and runs it until ISSUED, FAILED, REJECTED or PENDING. */
  request(body: ReturnType<typeof certificateRequestBodySchema.parse>): Promise<CertificateRequestRecord>;
}

/** The application and template a zone ("Application\\Template alias") names; throws naming what is missing. */
function zoneOf(zone: string, settings: PlaybookImportDeps['settings']): { applicationId: string; templateId: string } {
  const cut = zone.lastIndexOf('\\');
  if (cut <= 0) throw new Error('a zone is "Application\\Template alias", e.g. "Web servers\\Default"');
  const applicationName = zone.slice(0, cut);
  const template = settings.getTemplateByAlias(applicationName, zone.slice(cut + 1));
  return { applicationId: settings.getApplicationByName(applicationName)!.id, templateId: template.id };
}

/**
 * Keeps a playbook's tasks issued, installed and renewed here: each task becomes an automation
 * (source: the file and the task). A task already imported keeps its certificate while the names
 * asked for are still the ones it has; otherwise a new certificate is requested for it.
 */
export async function importPlaybook(yaml: string, file: string, deps: PlaybookImportDeps): Promise<{ automations: AutomationDetail[]; notes: string[] }> {
  const playbook = parsePlaybook(yaml);
  // Everything a task needs is checked before anything is requested: a bad task 3 leaves no half-import.
  const prepared = playbook.tasks.map((task, t) => prepare(task, t, file, deps));
  const automations: AutomationDetail[] = [];
  for (const { task, body, existing, at } of prepared) {
    let certificateId = existing && keepsNames(existing.certificateId, task, deps) ? existing.certificateId : undefined;
    if (!certificateId) {
      const request = await deps.request(body);
      if (request.status !== 'ISSUED' || !request.certificateIds[0]) {
        throw new SatelliteError(ERROR_CODES.CONFLICT, `${at} ("${task.name}"): the certificate request ${request.id} is ${request.status}${request.errorInformation ? `: ${request.errorInformation.message}` : ''}; the tasks before it were imported`, 409, {
          field: at,
          value: task.name,
        });
      }
      certificateId = request.certificateIds[0];
    }
    automations.push(
      await deps.automations.save({
        ...automationInputSchema.parse({ certificateId, name: task.name, renewBefore: task.renewBefore, setEnvVars: task.setEnvVars, installations: task.installations }),
        id: existing?.id,
        source: { kind: 'playbook', file, task: task.name },
      }),
    );
  }
  return { automations, notes: playbook.notes };
}

function prepare(task: PlaybookTask, t: number, file: string, deps: PlaybookImportDeps) {
  const at = `certificateTasks[${t}]`;
  const inAt = (error: unknown): never => {
    const issues = (error as { issues?: { path: PropertyKey[]; message: string }[] }).issues;
    if (issues) {
      const problems = issues.map((i) => {
        const field = `${at}.${playbookPath(i.path.map(String).join('.'))}`;
        return { field, message: `${field}: ${i.message}` };
      });
      throw new SatelliteError(ERROR_CODES.VALIDATION, `the playbook cannot be used: ${problems.map((p) => p.message).join('; ')}`, 400, problems);
    }
    throw error;
  };
  let zone: { applicationId: string; templateId: string };
  try {
    zone = zoneOf(task.zone, deps.settings);
  } catch (error) {
    throw new SatelliteError(ERROR_CODES.VALIDATION, `${at}.request.zone "${task.zone}": ${(error as Error).message}`, 400, [{ field: `${at}.request.zone`, message: (error as Error).message, value: task.zone }]);
  }
  // The automation's own checks (paths, passwords, renewBefore) before any certificate is made.
  try {
    automationInputSchema.parse({ certificateId: '00000000-0000-4000-8000-000000000000', name: task.name, renewBefore: task.renewBefore, setEnvVars: task.setEnvVars, installations: task.installations });
  } catch (error) {
    inAt(error);
  }
  let body: ReturnType<typeof certificateRequestBodySchema.parse>;
  try {
    body = certificateRequestBodySchema.parse({
      isVaaSGenerated: true,
      applicationId: zone.applicationId,
      certificateIssuingTemplateId: zone.templateId,
      csrAttributes: task.csrAttributes,
      ...(task.validityPeriod ? { validityPeriod: task.validityPeriod } : {}),
      tags: [`playbook:${task.name}`],
    });
  } catch (error) {
    inAt(error);
    throw error;
  }
  const existing = deps.automations.list().find((a) => a.source.kind === 'playbook' && a.source.file === file && a.source.task === task.name);
  // Checked before any certificate is requested for it: a refused save would leave one behind.
  const named = deps.automations.list().find((a) => a.name === task.name && a.id !== existing?.id);
  if (named) {
    const message = `${at}.name "${task.name}" is already the name of automation ${named.id}${named.source.kind === 'playbook' ? ` (from ${named.source.file})` : ''}: rename the task or that automation`;
    throw new SatelliteError(ERROR_CODES.VALIDATION, `the playbook cannot be used: ${message}`, 400, [{ field: `${at}.name`, message, value: task.name }]);
  }
  return { task, body, existing, at };
}

function keepsNames(certificateId: string, task: PlaybookTask, deps: PlaybookImportDeps): boolean {
  const now = deps.store.getCertificate(certificateId);
  if (!now) return false;
  const wanted = task.csrAttributes as { commonName: string; subjectAlternativeNamesByType: { dnsNames: string[] } };
  const same = (a: string[], b: string[]) => a.length === b.length && [...a].sort().every((v, i) => v.toLowerCase() === [...b].sort()[i]!.toLowerCase());
  return now.certificateName === wanted.commonName && same(now.subjectAlternativeNamesByType.dNSName, wanted.subjectAlternativeNamesByType.dnsNames);
}

/** The playbook's name for a field of the request or automation the task became. */
const PLAYBOOK_NAMES: [RegExp, string][] = [
  [/^csrAttributes\.subjectAlternativeNamesByType\.dnsNames/, 'request.sanDNS'],
  [/^csrAttributes\.subjectAlternativeNamesByType\.ipAddresses/, 'request.sanIP'],
  [/^csrAttributes\.subjectAlternativeNamesByType\.rfc822Names/, 'request.sanEmail'],
  [/^csrAttributes\.subjectAlternativeNamesByType\.uniformResourceIdentifiers/, 'request.sanURI'],
  [/^csrAttributes\.keyTypeParameters\.keyLength/, 'request.keySize'],
  [/^csrAttributes\.keyTypeParameters\.keyCurve/, 'request.keyCurve'],
  [/^csrAttributes\.keyTypeParameters/, 'request.keyType'],
  [/^csrAttributes\.organizationalUnits/, 'request.subject.orgUnits'],
  [/^csrAttributes\.state/, 'request.subject.province'],
  [/^csrAttributes\./, 'request.subject.'],
  [/^validityPeriod/, 'request.validDays'],
];

function playbookPath(path: string): string {
  for (const [pattern, name] of PLAYBOOK_NAMES) if (pattern.test(path)) return path.replace(pattern, name);
  return path;
}
