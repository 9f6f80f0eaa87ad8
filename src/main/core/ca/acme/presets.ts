/** Well-known ACME directories the settings page offers; any other directory URL works too. */
export interface AcmeDirectoryPreset {
  id: string;
  name: string;
  directoryUrl: string;
  /** True when the CA requires External Account Binding (a key id and HMAC key from its console). */
  externalAccountRequired: boolean;
}

export const ACME_DIRECTORY_PRESETS: readonly AcmeDirectoryPreset[] = [
  { id: 'letsencrypt', name: "Let's Encrypt", directoryUrl: 'https://acme-v02.api.letsencrypt.org/directory', externalAccountRequired: false },
  { id: 'letsencrypt-staging', name: "Let's Encrypt (staging)", directoryUrl: 'https://acme-staging-v02.api.letsencrypt.org/directory', externalAccountRequired: false },
  { id: 'zerossl', name: 'ZeroSSL', directoryUrl: 'https://acme.zerossl.com/v2/DV90', externalAccountRequired: true },
];
