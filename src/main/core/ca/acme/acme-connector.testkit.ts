import { acmeCaSettingsSchema } from '../../../../shared/ca-settings';
import { silentLogger } from '../../common/log';
import type { SecretVault } from '../connector';
import { AcmeConnector } from './acme-connector';

// For specs that talk to a stand-in ACME server on 127.0.0.1: a connector with an in-memory
// secret vault and an http-01 challenge nothing will ask for.

export function memorySecretVault(): SecretVault {
  const map = new Map<string, Buffer>();
  return { read: async (id) => map.get(id), write: async (id, p) => void map.set(id, Buffer.from(p)), remove: async (id) => void map.delete(id) };
}

export function standInAcmeConnector(directoryUrl: string, settings: { profile?: string } = {}): AcmeConnector {
  return new AcmeConnector(acmeCaSettingsSchema.parse({ type: 'ACME', directoryUrl, challenge: { type: 'http-01', listenAddress: '127.0.0.1', port: 1 }, ...settings }), {
    secrets: memorySecretVault(),
    workDir: '/nonexistent',
    log: silentLogger,
  });
}
