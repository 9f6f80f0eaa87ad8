import { fieldErrorsFrom, rpcInputSchemas, type Automation, type FieldError, type InstallationFormat, type RpcInput } from '../../shared';

// The "Renew and install automatically" form: flat strings and booleans, one per input, for every
// installation format at once (switching the format back and forth loses nothing typed).
// toAutomationInput makes the saveAutomation input; validateAutomationDraft checks it with the
// shared schema before anything is sent. Passwords are write-only: an edit asks for them again.

export interface InstallationDraft {
  format: InstallationFormat;
  file: string;
  chainFile: string;
  keyFile: string;
  fullChainInFile: boolean;
  /** PEM: encrypt the key under keyPassword, or write it unencrypted (mode 0600). */
  keyProtection: 'passphrase' | 'unencrypted';
  keyPassword: string;
  jksAlias: string;
  jksPassword: string;
  useLegacyP12: boolean;
  location: string;
  capiIsNonExportable: boolean;
  friendlyName: string;
  keychain: string;
  afterInstallAction: string;
  installValidationAction: string;
  backupFiles: boolean;
}

export interface AutomationDraft {
  id?: string;
  certificateId: string;
  name: string;
  renewBefore: string;
  installations: InstallationDraft[];
}

export const INSTALLATION_FORMAT_LABELS: Record<InstallationFormat, string> = {
  PEM: 'PEM files (nginx, Apache, HAProxy)',
  PKCS12: 'PKCS#12 file (.p12, .pfx)',
  JKS: 'Java keystore (.jks)',
  CAPI: 'Windows certificate store',
  KEYCHAIN: 'macOS keychain',
};

export function newInstallationDraft(): InstallationDraft {
  return {
    format: 'PEM',
    file: '',
    chainFile: '',
    keyFile: '',
    fullChainInFile: true,
    keyProtection: 'unencrypted',
    keyPassword: '',
    jksAlias: '',
    jksPassword: '',
    useLegacyP12: false,
    location: 'LocalMachine\\My',
    capiIsNonExportable: false,
    friendlyName: '',
    keychain: '',
    afterInstallAction: '',
    installValidationAction: '',
    backupFiles: false,
  };
}

/** A name for VCERT_<NAME>_* variables from the certificate's common name: letters, digits, dot, dash. */
export function suggestedName(commonName: string): string {
  return commonName.replace(/^\*\./, 'wildcard.').replace(/[^A-Za-z0-9 _.-]+/g, '-').slice(0, 64) || 'certificate';
}

/** A certificate this satellite cannot renew (imported) starts with renewal off: it can only be installed. */
export function newAutomationDraft(certificateId: string, commonName: string, renewable = true): AutomationDraft {
  return { certificateId, name: suggestedName(commonName), renewBefore: renewable ? '' : 'disabled', installations: [newInstallationDraft()] };
}

/** An automation as the form shows it; passwords are never sent back, so an edit enters them again. */
export function draftOf(a: Automation): AutomationDraft {
  return {
    id: a.id,
    certificateId: a.certificateId,
    name: a.name,
    renewBefore: a.renewBefore ?? '',
    installations: a.installations.map((i) => ({
      ...newInstallationDraft(),
      format: i.format,
      file: i.file ?? '',
      chainFile: i.chainFile ?? '',
      keyFile: i.keyFile ?? '',
      fullChainInFile: i.fullChainInFile === true,
      keyProtection: i.format === 'PEM' && !i.unencryptedKey ? 'passphrase' : 'unencrypted',
      jksAlias: i.jksAlias ?? '',
      useLegacyP12: i.useLegacyP12 === true,
      location: i.location ?? 'LocalMachine\\My',
      capiIsNonExportable: i.capiIsNonExportable === true,
      friendlyName: i.friendlyName ?? '',
      keychain: i.keychain ?? '',
      afterInstallAction: i.afterInstallAction ?? '',
      installValidationAction: i.installValidationAction ?? '',
      backupFiles: i.backupFiles === true,
    })),
  };
}

const text = (s: string) => (s.trim() ? s.trim() : undefined);

function installationInput(i: InstallationDraft): RpcInput<'saveAutomation'>['installations'][number] {
  const common = { format: i.format, afterInstallAction: text(i.afterInstallAction), installValidationAction: text(i.installValidationAction) };
  const files = { ...common, backupFiles: i.backupFiles || undefined };
  switch (i.format) {
    case 'PEM':
      return {
        ...files,
        file: text(i.file),
        chainFile: text(i.chainFile),
        keyFile: text(i.keyFile),
        fullChainInFile: i.fullChainInFile || undefined,
        ...(i.keyProtection === 'unencrypted' ? { unencryptedKey: true } : { keyPassword: i.keyPassword || undefined }),
      };
    case 'PKCS12':
      return { ...files, file: text(i.file), keyPassword: i.keyPassword || undefined, useLegacyP12: i.useLegacyP12 || undefined, friendlyName: text(i.friendlyName) };
    case 'JKS':
      return { ...files, file: text(i.file), jksAlias: text(i.jksAlias), jksPassword: i.jksPassword || undefined, keyPassword: i.keyPassword || undefined };
    case 'CAPI':
      return { ...common, location: text(i.location), capiIsNonExportable: i.capiIsNonExportable || undefined, friendlyName: text(i.friendlyName), useLegacyP12: i.useLegacyP12 || undefined };
    case 'KEYCHAIN':
      return { ...common, keychain: text(i.keychain), capiIsNonExportable: i.capiIsNonExportable || undefined, friendlyName: text(i.friendlyName) };
  }
}

export function toAutomationInput(d: AutomationDraft): RpcInput<'saveAutomation'> {
  const drop = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  return drop({
    id: d.id,
    certificateId: d.certificateId,
    name: d.name.trim(),
    renewBefore: text(d.renewBefore),
    installations: d.installations.map((i) => drop(installationInput(i))),
  });
}

export function validateAutomationDraft(d: AutomationDraft): FieldError[] {
  const parsed = rpcInputSchemas.saveAutomation.safeParse(toAutomationInput(d));
  return parsed.success ? [] : fieldErrorsFrom(parsed.error);
}
