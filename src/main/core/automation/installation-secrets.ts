import { randomUUID } from 'node:crypto';
import type { AutomationSave, Installation } from '../../../shared/automation';
import { describeInstallation, type OpenedInstallation } from '../installs/install-target';
import type { SecretVault } from '../vault/secret-vault';

// An installation's passwords (the PEM key's passphrase, the PKCS#12 password, the JKS store and key
// passwords) are sealed under the DEK in the vault; the automation keeps only their ids. Opened
// only for the moment of an install, never returned to a front end.

type InstallationInput = AutomationSave['installations'][number];

/** Seals each installation's passwords; what is stored names them by secret id. */
export async function sealInstallationPasswords(vault: SecretVault, automationId: string, inputs: readonly InstallationInput[]): Promise<Installation[]> {
  return Promise.all(
    inputs.map(async ({ keyPassword, jksPassword, ...installation }, index) => {
      const sealed: Installation = { ...installation };
      if (keyPassword !== undefined) {
        sealed.keyPasswordSecretId = `automation/${automationId}/${index}/key-password/${randomUUID()}`;
        await vault.write(sealed.keyPasswordSecretId, Buffer.from(keyPassword, 'utf8'));
      }
      if (jksPassword !== undefined) {
        sealed.jksPasswordSecretId = `automation/${automationId}/${index}/jks-password/${randomUUID()}`;
        await vault.write(sealed.jksPasswordSecretId, Buffer.from(jksPassword, 'utf8'));
      }
      return sealed;
    }),
  );
}

/** The installation with its passwords in clear, for one install. */
export async function openInstallationPasswords(vault: SecretVault, installation: Installation): Promise<OpenedInstallation> {
  const { keyPasswordSecretId, jksPasswordSecretId, ...rest } = installation;
  const open = async (secretId: string | undefined, field: string) => {
    if (!secretId) return undefined;
    const bytes = await vault.read(secretId);
    if (!bytes) throw new Error(`${field} of installation ${describeInstallation(installation)} is missing from the vault: edit the automation and enter it again`);
    return bytes.toString('utf8');
  };
  return { ...rest, keyPassword: await open(keyPasswordSecretId, 'keyPassword'), jksPassword: await open(jksPasswordSecretId, 'jksPassword') };
}

/** Whether `inputs` write exactly what `stored` writes, passwords included (opened to compare). */
export async function sameInstallations(vault: SecretVault, stored: readonly Installation[], inputs: readonly InstallationInput[]): Promise<boolean> {
  if (stored.length !== inputs.length) return false;
  for (const [n, input] of inputs.entries()) {
    const { keyPasswordSecretId, jksPasswordSecretId, ...storedRest } = stored[n]!;
    const { keyPassword, jksPassword, ...inputRest } = input;
    if (JSON.stringify(storedRest) !== JSON.stringify(inputRest)) return false;
    const opened = await openInstallationPasswords(vault, { ...storedRest, keyPasswordSecretId, jksPasswordSecretId }).catch(() => undefined);
    if (!opened || opened.keyPassword !== keyPassword || opened.jksPassword !== jksPassword) return false;
  }
  return true;
}

/** Removes the secrets `before` had that `now` no longer names. */
export async function removeUnusedSecrets(vault: SecretVault, before: { installations: readonly Installation[] }, now: readonly Installation[]): Promise<void> {
  const kept = new Set(now.flatMap((i) => [i.keyPasswordSecretId, i.jksPasswordSecretId]));
  for (const i of before.installations) {
    for (const secretId of [i.keyPasswordSecretId, i.jksPasswordSecretId]) if (secretId && !kept.has(secretId)) await vault.remove(secretId);
  }
}
