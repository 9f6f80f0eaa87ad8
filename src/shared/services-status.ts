/** Settings > Services: is the key generation service active, and why not. */
export interface KeyGenerationServiceStatus {
  active: boolean;
  /** One sentence: why it is active or inactive. */
  reason: string;
  /** What the user should do next when inactive. */
  nextStep?: string;
  /** e.g. "Secret Service (gnome-keyring)", "macOS Keychain", "Windows Credential Manager", "Passphrase-wrapped file". */
  dekStoreBackend: string;
  /** Fingerprint of the DEK, never the DEK. */
  dekHash?: string;
  dekCreationDate?: string;
  lastBackupDate?: string;
}

export interface CaConnectorStatus {
  certificateIssuingTemplateId: string;
  templateName: string;
  certificateAuthority: 'BUILTIN' | 'MANUAL' | 'ACME' | 'CLOUD';
  healthy: boolean;
  message: string;
  checkedAt: string;
}

export interface ApiStatus {
  listening: boolean;
  url?: string;
  message: string;
}

/** The inventory file: sound, out of room, or damaged (writes refused), with the file named. */
export interface InventoryStatus {
  state: 'ok' | 'disk-full' | 'damaged';
  file: string;
  /** One sentence: what is wrong, or that it is sound. */
  message: string;
  nextStep?: string;
}

/** The scheduler that renews and installs certificates, and the automations whose last run failed. */
export interface AutomationStatus {
  /** How many certificates are kept renewed and installed. */
  total: number;
  /** How often the scheduler looks, in seconds. */
  tickSeconds: number;
  failing: { id: string; name: string; certificateId: string; message: string; nextAttemptAt?: string }[];
}

export interface ServicesStatus {
  satellite: { id: string; name: string; version: string; edgeStatus: 'ACTIVE' | 'UNHEALTHY' | 'ERROR' };
  keyGeneration: KeyGenerationServiceStatus;
  caConnectors: CaConnectorStatus[];
  api: ApiStatus;
  inventory: InventoryStatus;
  automation: AutomationStatus;
}
