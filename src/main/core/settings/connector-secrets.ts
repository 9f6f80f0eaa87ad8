import { randomUUID } from 'node:crypto';
import type { RpcParsedInput } from '../../../shared/client';
import type { SecretVault } from '../vault/secret-vault';
import { ERROR_CODES } from '../../../shared/error-codes';
import { SatelliteError } from '../common/errors';
import type { IssuingTemplateSave } from './settings-store';

type TemplateSaveWithSecrets = RpcParsedInput<'saveIssuingTemplate'>;

const refuse = (field: string, message: string) => new SatelliteError(ERROR_CODES.VALIDATION, message, 400, [{ field, message }]);

/**
 * A template's connector secrets (ACME EAB HMAC key, cloud API key) are sealed under the DEK in the
 * vault; settings keep only their ids. Sealed before the template is saved, so a saved template
 * never points at a secret that is not there.
 */
export async function sealConnectorSecrets(input: TemplateSaveWithSecrets, secrets: SecretVault): Promise<IssuingTemplateSave> {
  const { connectorSecrets, ...template } = input;
  const settings = template.caSettings;
  if (connectorSecrets?.eabHmacKey !== undefined) {
    if (settings.type !== 'ACME') throw refuse('connectorSecrets.eabHmacKey', 'connectorSecrets.eabHmacKey is only for ACME templates');
    const id = settings.eabHmacKeySecretId ?? `acme-eab/${randomUUID()}`;
    await secrets.write(id, Buffer.from(connectorSecrets.eabHmacKey.trim(), 'utf8'));
    template.caSettings = { ...settings, eabHmacKeySecretId: id };
  }
  if (connectorSecrets?.apiKey !== undefined) {
    if (settings.type !== 'CLOUD') throw refuse('connectorSecrets.apiKey', 'connectorSecrets.apiKey is only for cloud templates');
    const id = settings.apiKeySecretId ?? `cloud-api-key/${randomUUID()}`;
    await secrets.write(id, Buffer.from(connectorSecrets.apiKey.trim(), 'utf8'));
    template.caSettings = { ...settings, apiKeySecretId: id };
  }
  const saved = template.caSettings;
  if (saved.type === 'CLOUD' && !saved.apiKeySecretId) {
    throw refuse('connectorSecrets.apiKey', 'connectorSecrets.apiKey is required for a cloud template: the API key from the cloud service (Preferences > API keys)');
  }
  return template;
}
