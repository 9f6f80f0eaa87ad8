import type { AcmeCaSettings } from '../../../../shared/ca-settings';
import { trustAgent } from './acme-http';
import { fetchDirectory } from './directory';

const TIMEOUT_MS = 15_000;

/**
 * Why a template's `profile` cannot be asked of its ACME CA (the directory lists no profiles, or
 * not this one), or undefined when it can. Checked when the template is saved, so no order fails
 * for it later; a directory that cannot be reached refuses the save too, since nothing was checked.
 */
export async function acmeProfileProblem(settings: Pick<AcmeCaSettings, 'directoryUrl' | 'profile' | 'tlsCaCertificatePem'>): Promise<string | undefined> {
  const profile = settings.profile;
  if (!profile) return undefined;
  let offered: string[];
  try {
    const directory = await fetchDirectory(settings.directoryUrl, trustAgent(settings.tlsCaCertificatePem), TIMEOUT_MS);
    offered = Object.keys(directory.meta?.profiles ?? {});
  } catch (error) {
    return `profile "${profile}" cannot be checked: ${(error as Error).message}. Save it once the CA's directory answers, or leave profile empty`;
  }
  if (offered.length === 0) return `profile "${profile}": the ACME CA at ${settings.directoryUrl} offers no profiles (its directory has no meta.profiles); leave profile empty to get its default certificate`;
  if (!offered.includes(profile)) return `profile "${profile}" is not one the ACME CA at ${settings.directoryUrl} offers; choose one of ${offered.join(', ')}`;
  return undefined;
}
