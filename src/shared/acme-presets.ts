/** Well-known ACME directories the template editor offers as one-click choices; any other directory URL works too. */
export interface AcmeDirectoryPreset {
  label: string;
  directoryUrl: string;
  /** The CA requires External Account Binding (a key id and HMAC key from its console). */
  externalAccountRequired: boolean;
}

export const ACME_DIRECTORY_PRESETS: readonly AcmeDirectoryPreset[] = [
  { label: 'Let’s Encrypt', directoryUrl: 'https://acme-v02.api.letsencrypt.org/directory', externalAccountRequired: false },
  { label: 'Let’s Encrypt staging', directoryUrl: 'https://acme-staging-v02.api.letsencrypt.org/directory', externalAccountRequired: false },
  { label: 'ZeroSSL', directoryUrl: 'https://acme.zerossl.com/v2/DV90', externalAccountRequired: true },
];
