import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { AcmeCaSettings, CloudCaSettings } from '../../shared/ca-settings';
import type { ServicesStatus } from '../../shared/services-status';
import type { IssuingTemplate } from '../../shared/settings';
import { ApiKeyService } from './api-key/api-key-service';
import { AcmeConnector } from './ca/acme';
import { addIssuingCa, inventorySealedKeys, openBuiltinCa, type BuiltinCa } from './ca/builtin';
import type { BuiltinCaSummary } from '../../shared/client';
import { CloudConnector } from './ca/cloud';
import type { ConnectorContext, SecretVault } from './ca/connector';
import { LazyConnector } from './ca/lazy-connector';
import { ManualConnector } from './ca/manual/manual-connector';
import { certificateFacts } from './pki/certificate-facts';
import { CertificateService } from './certificates/certificate-service';
import { ImportService } from './certificates/import-service';
import { ConnectorRegistry } from './connectors/connector-registry';
import {
  DekService,
  fileDekStore,
  inventoryBlobRepository,
  keychainDekStore,
  passphraseFromEnv,
  pendingFileDekStore,
  pendingKeychainDekStore,
  type DekStore,
  type KeychainDekStoreOptions,
} from './dek';
import { lockDataDir, type DataDirLock } from './fs/data-dir-lock';
import { issuingCaCrlUrl, pkiUrl, revocationPointers, rootPointers } from './ca/builtin/pki-paths';
import { TrustService } from './trust/trust-service';
import { trustTargetsWith, type TrustStoreOverrides } from './trust/trust-stores';
import { nameConstraintsProblem, type NameConstraints } from '../../shared/name-constraints';
import { cloudIdentityOf } from './identity';
import { satelliteLogger, type Logger } from './common/log';
import { RequestService } from './requests/request-service';
import { AutomationService } from './automation/automation-service';
import { importPlaybook } from './automation/playbook-import';
import { CoreSatelliteService } from './satellite-service';
import { openSettingsStore } from './settings';
import { INVENTORY_FILE, openInventoryStore, sqliteSecretVault, type InventoryStore } from './store';
import { serverIdentity } from './tls/server-identity';
import { SATELLITE_VERSION } from './version';

export interface SatelliteOptions {
  /** Where the store, settings, built-in CA and logs live (the Electron app passes app.getPath('userData')). */
  dataDir: string;
  /** Where the DEK is kept: the OS keychain, or (explicit opt-in for headless servers) a passphrase-wrapped file. */
  dekStore: 'keychain' | 'file';
  /** Unlocks the file DEK store; defaults to SATELLITE_DEK_PASSPHRASE. Never logged. */
  dekPassphrase?: string;
  /** Fixes the local API key (SATELLITE_API_KEY) instead of the generated, sealed one. */
  apiKey?: string;
  /** Keychain entry names, so tests never touch the real entry. */
  keychain?: KeychainDekStoreOptions;
  log?: Logger;
  /** Who takes the data directory, as a refused second satellite is told ("the desktop app"). */
  holder?: string;
  /** The waits before automatic retries of retryable CA failures (AUTO_RETRY_DELAYS_MS); tests shorten them. */
  autoRetryDelaysMs?: readonly number[];
  /**
   * The http:// base URL of the PKI listener that serves the built-in CA's CRL, CA certificates and
   * OCSP (e.g. http://127.0.0.1:7480): written into the certificates it issues. Without it (no
   * listener runs, e.g. its port was taken) certificates name no CRL or OCSP location.
   */
  pkiBaseUrl?: string;
  /**
   * For a new built-in CA: the DNS subtrees and IP ranges it may issue for, written into its
   * issuing certificate (name constraints). An existing CA must have been made with exactly these.
   */
  caNameConstraints?: NameConstraints;
  /** How often the renewal and install scheduler looks (default 60 s); tests shorten it. */
  automationTickMs?: number;
  /** The waits before an automation that failed is tried again (default 1 min, 5, 15, 1 h, 6 h). */
  automationRetryDelaysMs?: readonly number[];
  /** Trust stores other than this user's and this machine's, for trustBuiltinRoot (a chroot, a test's throwaway copies). */
  trustStores?: TrustStoreOverrides;
}

export { PKI_PATHS, revocationPointers } from './ca/builtin/pki-paths';

/** The satellite as the app and the headless server hold it: the service plus what only they need. */
export interface Satellite extends CoreSatelliteService {
  readonly dataDir: string;
  /** Requests interrupted by a crash or shutdown, resumed in the background after start. */
  readonly resumed: Promise<void>;
  /** SQLite's quick_check of the inventory at start, run off the event loop: the problems found (none when sound). */
  readonly inventoryChecked: Promise<string[]>;
  /** The front end that serves the local API reports its state here, for Settings > Services. */
  setApiStatus(status: ServicesStatus['api']): void;
  apiKey(): Promise<string>;
}

function openDekStores(options: SatelliteOptions): { current: DekStore; pending: DekStore } {
  if (options.dekStore === 'file') {
    const passphrase = options.dekPassphrase ?? passphraseFromEnv();
    const path = join(options.dataDir, 'dek.json');
    return { current: fileDekStore(path, passphrase), pending: pendingFileDekStore(path, passphrase) };
  }
  return { current: keychainDekStore(options.keychain), pending: pendingKeychainDekStore(options.keychain) };
}

/**
 * The connectors' secrets under the DEK of the moment (it changes on restore and rotation); when
 * there is none, every call explains why rather than failing obscurely later.
 */
function currentSecrets(store: InventoryStore, dek: DekService): SecretVault {
  const vault = (): SecretVault => {
    if (!dek.active) throw new Error(`secrets cannot be read or written: ${dek.status.reason}`);
    return sqliteSecretVault(store, dek.sealer());
  };
  return {
    read: async (id) => vault().read(id),
    write: async (id, plaintext) => vault().write(id, plaintext),
    remove: async (id) => vault().remove(id),
  };
}

/** Builds the whole satellite over one data directory. */
export async function createSatellite(options: SatelliteOptions): Promise<Satellite> {
  const { dataDir } = options;
  const constraintsProblem = options.caNameConstraints && nameConstraintsProblem(options.caNameConstraints);
  if (constraintsProblem) throw new Error(`The built-in CA's name constraints: ${constraintsProblem}.`);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const lock = lockDataDir(dataDir, options.holder ?? 'a Keypair Satellite process');
  try {
    return await openSatellite(options, lock);
  } catch (error) {
    lock.release();
    throw error;
  }
}

async function openSatellite(options: SatelliteOptions, lock: DataDirLock): Promise<Satellite> {
  const { dataDir } = options;
  const log = options.log ?? satelliteLogger(dataDir);
  const stores = openDekStores(options);
  const store = openInventoryStore(join(dataDir, INVENTORY_FILE));
  // SQLite's own check of the whole file, off the event loop: a damaged inventory stops writes and says so on Services.
  const inventoryChecked = store.check().then(
    (problems) => {
      if (problems.length > 0) log.log('error', 'inventory damaged: writes refused', { file: store.file, problems });
      return problems;
    },
    (error: unknown) => {
      log.log('error', 'inventory check failed to run', { file: store.file, message: (error as Error).message });
      return [] as string[];
    },
  );
  if (store.damaged) log.log('error', 'inventory damaged: writes refused', { file: store.file, problem: store.damaged.problem });
  const settings = openSettingsStore({ dataDir });

  const meta = (key: string) => {
    let value = store.getMeta(key);
    // A damaged inventory takes no writes: the satellite runs, unnamed for this once, to say so.
    if (!value && (value = randomUUID()) && !store.damaged) store.setMeta(key, value);
    return value;
  };
  const satelliteId = meta('satelliteId');
  const identity = { id: satelliteId, name: `Keypair Satellite on ${hostname()}`, version: SATELLITE_VERSION, ...cloudIdentityOf(satelliteId) };

  const dek = await DekService.open({
    ...stores,
    repository: inventoryBlobRepository(store),
    log,
    // The built-in CA holds its key unsealed with the DEK it was opened under: open it again.
    onDekChanged: () => {
      builtin.reset();
      log.log(dek.active ? 'info' : 'warn', 'key generation service', { active: dek.active, reason: dek.status.reason });
      if (!dek.active) return;
      builtin.open().catch((error) => log.log('error', 'built-in CA unavailable', { message: (error as Error).message }));
      // Restored after a start without the DEK: the requests a crash interrupted can go on now.
      if (!requestsResumed) {
        requestsResumed = true;
        requests.resumeInterrupted().catch((error) => log.log('error', 'resuming interrupted requests failed', { message: (error as Error).message }));
        requests.scheduleAutoRetries();
      }
    },
  });
  const sealer = () => dek.sealer();
  const secrets = currentSecrets(store, dek);

  const builtinCaDir = join(dataDir, 'builtin-ca');
  // What the CA must be opened with: the constraints asked for at start, until a new issuing CA
  // is made here (then the CA is what was chosen for it).
  let caNameConstraints = options.caNameConstraints;
  const builtin = new LazyConnector<BuiltinCa>({ type: 'BUILTIN', issuesLocally: true }, () =>
    openBuiltinCa({
      dir: builtinCaDir,
      sealer: sealer(),
      sealedKeys: inventorySealedKeys(store),
      log,
      pointersFor: options.pkiBaseUrl ? (generation) => revocationPointers(options.pkiBaseUrl!, generation) : undefined,
      rootPointers: options.pkiBaseUrl ? rootPointers(options.pkiBaseUrl) : undefined,
      nameConstraints: caNameConstraints,
      issuedSerial: (serial) => store.hasCertificateWithSerial(serial),
    }),
  );
  const manual = new ManualConnector();
  const context = (template: IssuingTemplate): ConnectorContext => ({ secrets, workDir: join(dataDir, 'connectors', template.id), log });
  const connectors = new ConnectorRegistry({
    BUILTIN: () => builtin,
    MANUAL: () => manual,
    ACME: (t) => new AcmeConnector(t.caSettings as AcmeCaSettings, context(t)),
    CLOUD: (t) => new CloudConnector(t.caSettings as CloudCaSettings, context(t)),
  });
  if (dek.active) await builtin.open().catch((error) => log.log('error', 'built-in CA unavailable', { message: (error as Error).message }));

  const requests = new RequestService({
    store,
    settings: {
      getApplication: (id) => settings.getApplication(id),
      getTemplate: (id) => settings.getIssuingTemplate(id),
      getServerType: (id) => settings.getServerType(id),
    },
    keys: { sealer, withDek: (work) => dek.withDek(work) },
    connectorFor: (t) => connectors.forTemplate(t),
    // The built-in CA's constraints; when it cannot open, the key step that needs it says why.
    nameConstraintsFor: async (t) => (t.certificateAuthority === 'BUILTIN' ? builtin.open().then((ca) => ca.meta.nameConstraints, () => undefined) : undefined),
    identity,
    log,
    autoRetryDelaysMs: options.autoRetryDelaysMs,
  });
  const certificates = new CertificateService({
    store,
    requests,
    sealer,
    template: (id) => (id ? settings.getIssuingTemplate(id) : undefined),
    connectorFor: (t) => connectors.forTemplate(t),
    log,
  });
  const imports = new ImportService({ store, requests, sealer, applicationExists: (id) => settings.getApplication(id) !== undefined, companyId: identity.companyId });
  const apiKeys = new ApiKeyService(dek.active ? secrets : undefined, options.apiKey);
  const automationTickMs = options.automationTickMs ?? 60_000;
  const automations = new AutomationService({
    store,
    requests,
    certificates,
    secrets: () => secrets,
    dekActive: () => dek.active,
    log,
    tickMs: automationTickMs,
    retryDelaysMs: options.automationRetryDelaysMs,
  });
  let requestsResumed = dek.active;

  const trust = new TrustService(dataDir, trustTargetsWith(options.trustStores), log);

  let apiStatus: ServicesStatus['api'] = { listening: false, message: 'The local REST API is not running in this process.' };
  /** The new issuing CA being made, if any: the next waits for it. */
  let issuingCaQueue: Promise<unknown> = Promise.resolve();
  /** The built-in CA as Services and the CLI show it. */
  const builtinCaSummary = async (): Promise<BuiltinCaSummary> => {
    const ca = await builtin.open();
    const rootPem = ca.rootPem();
    const base = options.pkiBaseUrl;
    const rootCrlPem = ca.rootCrlPem();
    return {
      rootPem,
      chainPems: ca.chainPems(),
      crlPem: await ca.crl(),
      ...(rootCrlPem ? { rootCrlPem } : {}),
      rootSha256Fingerprint: certificateFacts(rootPem).sha256Fingerprint,
      trustedIn: trust.trustedIn(),
      ...(ca.meta.nameConstraints ? { nameConstraints: ca.meta.nameConstraints } : {}),
      ...(base ? { revocationUrls: { crl: issuingCaCrlUrl(base, ca.issuingGeneration), ...(rootCrlPem ? { rootCrl: pkiUrl(base, 'rootCrl') } : {}), ocsp: pkiUrl(base, 'ocsp') } } : {}),
      issuingCas: await Promise.all(
        ca.issuingCaSummaries().map(async (issuing) => ({
          ...issuing,
          ...(base ? { crlUrl: issuingCaCrlUrl(base, issuing.generation) } : {}),
          ...(issuing.issues ? {} : { crlPem: await ca.crlPem(issuing.generation) }),
        })),
      ),
    };
  };

  const service = new CoreSatelliteService({
    identity,
    store,
    settings,
    requests,
    certificates,
    imports,
    connectors,
    apiKeys,
    dek,
    automations,
    automationTickSeconds: automationTickMs / 1000,
    importPlaybook: (yaml, fileName) => importPlaybook(yaml, fileName, { automations, settings, store, request: (body) => requests.submit(body) }),
    apiStatus: () => apiStatus,
    connectorSecrets: () => secrets,
    publicPki: {
      file: async (file) => {
        const ca = await builtin.open();
        const bytes =
          file.what === 'crl' ? await ca.crlDer(file.generation) : file.what === 'root-crl' ? ca.rootCrlDer() : ca.caCertificateDer(file.what, 'generation' in file ? file.generation : undefined);
        return bytes && { bytes, mediaType: file.what.endsWith('crl') ? 'application/pkix-crl' : 'application/pkix-cert' };
      },
      ocsp: async (request) => (await builtin.open()).ocspResponse(request),
    },
    builtinCa: () => builtinCaSummary(),
    newIssuingCa: (nameConstraints) => {
      // One at a time (two tabs would both make generation n+1 and mix its key and certificate),
      // and under a DEK lease, so a rotation cannot move the keys while the new one is sealed.
      const made = issuingCaQueue.then(() =>
        dek.withDek(async () => {
          await addIssuingCa(builtinCaDir, sealer(), inventorySealedKeys(store), log, { nameConstraints, rootPointers: options.pkiBaseUrl ? rootPointers(options.pkiBaseUrl) : undefined });
          caNameConstraints = nameConstraints;
          // Requests under way finish with the issuing CA they started with; the next ones use the new one.
          builtin.reset();
          return builtinCaSummary();
        }),
      );
      issuingCaQueue = made.catch(() => undefined);
      return made;
    },
    trustRoot: async () => trust.install((await builtin.open()).rootPem()),
    untrustRoot: () => trust.uninstall(),
    tlsServerIdentity: async (host) => {
      const ca = await builtin.open();
      return serverIdentity({ store, secrets, issuer: ca, chainPems: ca.chainPems() }, host);
    },
    close: async () => {
      requests.stopAutoRetries();
      await automations.stop();
      await Promise.allSettled([resumed]);
      store.close();
      lock.release();
      log.log('info', 'satellite closed');
    },
  });

  // Renewals and installs missed while the computer slept or the satellite was stopped are caught up now.
  automations.start();
  if (dek.active) {
    const waiting = requests.scheduleAutoRetries();
    if (waiting > 0) log.log('info', 'automatic retries scheduled for failed requests', { count: waiting });
  }
  const resumed = dek.active
    ? requests.resumeInterrupted().then(
        (done) => done.length && log.log('info', 'resumed interrupted requests', { count: done.length }),
        (error) => log.log('error', 'resuming interrupted requests failed', { message: (error as Error).message }),
      )
    : Promise.resolve();

  return Object.assign(service, {
    dataDir,
    resumed: resumed.then(() => undefined),
    inventoryChecked,
    setApiStatus: (status: ServicesStatus['api']) => (apiStatus = status),
    apiKey: () => apiKeys.current(),
  }) as Satellite;
}
