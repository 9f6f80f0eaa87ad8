import { z } from 'zod';
import { uuidSchema } from './settings';

// Certificates that renew and install themselves. The vocabulary is the vendor's VCert playbook's
// (certificateTasks[].installations[], renewBefore, setEnvVars), so a playbook maps onto it field
// for field and a person who knows one knows the other.

export const INSTALLATION_FORMATS = ['PEM', 'PKCS12', 'JKS', 'CAPI', 'KEYCHAIN'] as const;
export type InstallationFormat = (typeof INSTALLATION_FORMATS)[number];

/** VCert's JKS minimum (the JKS format's own): a keystore password shorter than this is refused. */
export const JKS_MIN_PASSWORD_LENGTH = 6;

/** What the playbook's setEnvVars may name: VCERT_<TASK>_THUMBPRINT, _SERIAL, _BASE64. */
export const SET_ENV_VARS = ['thumbprint', 'serial', 'base64'] as const;

const absolutePath = (field: string) =>
  z
    .string({ error: `${field} is required` })
    .trim()
    .min(1, `${field} is required`)
    .max(4096, `${field} is longer than any path`)
    .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\'), `${field} must be an absolute path, such as /etc/nginx/tls/site.crt`)
    .refine((p) => !/[\0\r\n]/.test(p), `${field} must not contain control characters`);

const command = (field: string) =>
  z
    .string()
    .trim()
    .max(4096, `${field} is at most 4096 characters`)
    .refine((c) => !/\0/.test(c), `${field} must not contain NUL`)
    .transform((c) => c || undefined)
    .optional();

/** Write-only secrets of an installation: sealed under the DEK on save, never returned. */
const secret = (field: string) => z.string().min(1, `${field} must not be empty`).max(1024, `${field} is at most 1024 characters`).optional();

export const installationInputSchema = z
  .object({
    format: z.enum(INSTALLATION_FORMATS, { error: `format must be one of ${INSTALLATION_FORMATS.join(', ')}` }),
    /** PEM: the certificate; PKCS12 and JKS: the keystore file. */
    file: absolutePath('file').optional(),
    /** PEM: the chain (issuer first). */
    chainFile: absolutePath('chainFile').optional(),
    /** PEM: the private key. */
    keyFile: absolutePath('keyFile').optional(),
    /** PEM only: write the chain after the certificate in `file` too (what nginx's ssl_certificate wants). */
    fullChainInFile: z.boolean().optional(),
    /** PEM key: explicitly unencrypted (mode 0600). Without it a PEM key needs keyPassword. */
    unencryptedKey: z.boolean().optional(),
    /** Encrypts the PEM key; the PKCS#12 password; the JKS key password (default: jksPassword). Sealed. */
    keyPassword: secret('keyPassword'),
    jksAlias: z.string().trim().max(64, 'jksAlias is at most 64 characters').optional(),
    /** Sealed. */
    jksPassword: secret('jksPassword'),
    /** PKCS#12 Compatible (3DES/SHA-1) for Windows Server 2016 and older Java; Modern otherwise. */
    useLegacyP12: z.boolean().optional(),
    /** CAPI: CurrentUser\My, LocalMachine\My ... */
    location: z.string().trim().max(256).optional(),
    capiIsNonExportable: z.boolean().optional(),
    /** CAPI friendly name; KEYCHAIN label. Defaults to the certificate's common name. */
    friendlyName: z.string().trim().max(128).optional(),
    /** KEYCHAIN: the keychain file; the login keychain when absent. */
    keychain: z.string().trim().max(4096).optional(),
    afterInstallAction: command('afterInstallAction'),
    installValidationAction: command('installValidationAction'),
    /** Keep a copy of the files being replaced as <file>.bak. */
    backupFiles: z.boolean().optional(),
    /** Each action is stopped after this many seconds. */
    actionTimeoutSeconds: z.number().int().min(1, 'actionTimeoutSeconds must be at least 1').max(3600, 'actionTimeoutSeconds is at most 3600').default(120),
  })
  .strict()
  .superRefine((i, ctx) => {
    const need = (field: keyof typeof i, why: string) => {
      if (i[field] === undefined || i[field] === '') ctx.addIssue({ code: 'custom', path: [field], message: `${field} is required for ${i.format}: ${why}` });
    };
    switch (i.format) {
      case 'PEM':
        need('file', 'where the certificate goes');
        need('chainFile', 'where the chain goes');
        need('keyFile', 'where the private key goes');
        if (!i.keyPassword && i.unencryptedKey !== true) {
          ctx.addIssue({ code: 'custom', path: ['keyPassword'], message: 'keyPassword is required to encrypt the PEM key; or set unencryptedKey: true to write it unencrypted (mode 0600), as nginx and Apache read it' });
        }
        break;
      case 'PKCS12':
        need('file', 'where the PKCS#12 file goes');
        need('keyPassword', 'the PKCS#12 password');
        break;
      case 'JKS':
        need('file', 'where the Java keystore goes');
        need('jksAlias', 'the alias of the key entry');
        need('jksPassword', 'the keystore password');
        if (i.jksPassword && i.jksPassword.length < JKS_MIN_PASSWORD_LENGTH) {
          ctx.addIssue({ code: 'custom', path: ['jksPassword'], message: `jksPassword must be at least ${JKS_MIN_PASSWORD_LENGTH} characters (keytool refuses shorter ones)` });
        }
        break;
      case 'CAPI':
        if (!/^(currentuser|localmachine)\\(addressbook|authroot|certificateauthority|disallowed|my|root|trustedpeople|trustedpublisher)$/i.test(i.location ?? '')) {
          ctx.addIssue({ code: 'custom', path: ['location'], message: 'location must be a Windows certificate store such as LocalMachine\\My or CurrentUser\\My' });
        }
        break;
      case 'KEYCHAIN':
        break;
    }
  });
export type InstallationInput = z.input<typeof installationInputSchema>;

/** An installation as stored and shown: the passwords are replaced by whether they are set. */
export type Installation = Omit<z.output<typeof installationInputSchema>, 'keyPassword' | 'jksPassword'> & {
  keyPasswordSecretId?: string;
  jksPasswordSecretId?: string;
};

const RENEW_BEFORE = /^(?:(\d+)([dhms])|(\d{1,2}(?:\.\d+)?)%|0|disabled)$/;

/**
 * When to renew, as the playbook says it: `30d`, `10h`, `58m` or `90s` before the end, `15%` of the
 * lifetime left, `0` or `disabled` for never. Absent: the CA's Renewal Information, else the
 * satellite's rule.
 */
export const renewBeforeSchema = z
  .string()
  .trim()
  .regex(RENEW_BEFORE, 'renewBefore must be a time before the end such as 30d, 10h or 58m, a share of the lifetime left such as 15%, or disabled');

/** When a certificate of this validity is due, by renewBefore; undefined for `disabled`/`0`. */
export function renewAtByRule(renewBefore: string, validity: { validityStart: string; validityEnd: string }): Date | undefined {
  const m = RENEW_BEFORE.exec(renewBefore.trim());
  if (!m) throw new Error(`renewBefore "${renewBefore}" is not a duration or a percentage`);
  const notBefore = Date.parse(validity.validityStart);
  const notAfter = Date.parse(validity.validityEnd);
  if (m[1] !== undefined) {
    const unit = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 }[m[2] as 'd' | 'h' | 'm' | 's'];
    return new Date(notAfter - Number(m[1]) * unit);
  }
  if (m[3] !== undefined) return new Date(notAfter - ((notAfter - notBefore) * Number(m[3])) / 100);
  return undefined;
}

export const automationInputSchema = z
  .object({
    /** The certificate to keep renewed and installed (its successors follow on their own). */
    certificateId: uuidSchema,
    /** A name for logs and VCERT_<NAME>_* variables; the playbook's task name. */
    name: z
      .string()
      .trim()
      .min(1, 'name is required')
      .max(64, 'name is at most 64 characters')
      .regex(/^[A-Za-z0-9 _.-]+$/, 'name may use letters, digits, space, dot, dash and underscore'),
    renewBefore: renewBeforeSchema.optional(),
    setEnvVars: z.array(z.enum(SET_ENV_VARS, { error: `setEnvVars entries are ${SET_ENV_VARS.join(', ')}` })).max(3).default([]),
    installations: z.array(installationInputSchema).min(1, 'installations: add at least one place to install the certificate').max(16),
  })
  .strict();
export type AutomationInput = z.input<typeof automationInputSchema>;

/** A save as core takes it: the parsed input, the automation it replaces, where it came from. */
export type AutomationSave = z.output<typeof automationInputSchema> & { id?: string; source?: Automation['source'] };

export type AutomationStepName = 'renew' | 'install' | 'afterInstallAction' | 'installValidationAction' | 'restore';

/** One line of an automation's history, shown on the certificate page. */
export interface AutomationEvent {
  at: string;
  certificateId: string;
  serialNumber?: string;
  step: AutomationStepName;
  ok: boolean;
  /** Which installation (its index and what it writes), when the step belongs to one. */
  installation?: string;
  message: string;
  command?: string;
  exitCode?: number | null;
  /** stdout and stderr, up to 8 KB. */
  output?: string;
}

export interface AutomationResult {
  at: string;
  ok: boolean;
  message: string;
}

export interface Automation {
  id: string;
  name: string;
  /** The certificate currently kept installed (the newest in the renewal chain). */
  certificateId: string;
  renewBefore?: string;
  setEnvVars: (typeof SET_ENV_VARS)[number][];
  installations: Installation[];
  /** Where it came from: set up by a person, or a playbook file. */
  source: { kind: 'user' } | { kind: 'playbook'; file: string; task: string };
  /** The certificate whose files are in place now, when the last install succeeded. */
  installedCertificateId?: string;
  /** When the scheduler renews next, and why then. */
  nextRenewalAt?: string;
  nextRenewalReason?: string;
  /** A renewal request under way (ACME may take a while). */
  pendingRequestId?: string;
  lastResult?: AutomationResult;
  /** Consecutive failures, and when the scheduler tries again. */
  failures: number;
  nextAttemptAt?: string;
  creationDate: string;
  modificationDate: string;
}

export interface AutomationDetail extends Automation {
  history: AutomationEvent[];
}

/** Human words for renewBefore, as the certificate page says it. */
export function describeRenewBefore(renewBefore: string | undefined): string {
  if (renewBefore === undefined) return "the CA's Renewal Information, else the satellite's rule (the last third of the lifetime)";
  if (renewBefore === '0' || renewBefore === 'disabled') return 'never (renewal disabled)';
  if (renewBefore.endsWith('%')) return `when ${renewBefore} of the lifetime is left`;
  return `${renewBefore} before it expires`;
}
