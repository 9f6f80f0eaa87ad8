import type { ExtendedKeyUsage } from '../../../shared/settings';

/** Object identifiers the CSR code writes and reads. */
export const OID = {
  commonName: '2.5.4.3',
  country: '2.5.4.6',
  locality: '2.5.4.7',
  state: '2.5.4.8',
  organization: '2.5.4.10',
  organizationalUnit: '2.5.4.11',
  extensionRequest: '1.2.840.113549.1.9.14',
  subjectAltName: '2.5.29.17',
  ed25519: '1.3.101.112',
  rsaEncryption: '1.2.840.113549.1.1.1',
  ecPublicKey: '1.2.840.10045.2.1',
  rsassaPss: '1.2.840.113549.1.1.10',
  mgf1: '1.2.840.113549.1.1.8',
} as const;

/** Digest algorithms by OID, as Node names them (RSASSA-PSS parameters name theirs). */
export const HASH_OIDS: Readonly<Record<string, string>> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** GeneralName choice tags (RFC 5280 4.2.1.6). */
export const GENERAL_NAME = { rfc822Name: 1, dNSName: 2, uniformResourceIdentifier: 6, iPAddress: 7 } as const;

/** Signature algorithms the satellite writes into CSRs. */
export const SIGNATURE_OID = {
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
  ecdsaWith: { 'SHA-256': '1.2.840.10045.4.3.2', 'SHA-384': '1.2.840.10045.4.3.3', 'SHA-512': '1.2.840.10045.4.3.4' },
} as const;

/**
 * Signature algorithms a CSR may be checked with by Node's verifier: the digest and the key type
 * the OID demands. Others (RSA-PSS with its parameters, ...) go to the full parser.
 */
export const VERIFIABLE_SIGNATURES: Readonly<Record<string, { hash: string | null; keyType: 'rsa' | 'ec' | 'ed25519' | 'ed448' }>> = {
  '1.2.840.113549.1.1.5': { hash: 'sha1', keyType: 'rsa' },
  '1.2.840.113549.1.1.14': { hash: 'sha224', keyType: 'rsa' },
  '1.2.840.113549.1.1.11': { hash: 'sha256', keyType: 'rsa' },
  '1.2.840.113549.1.1.12': { hash: 'sha384', keyType: 'rsa' },
  '1.2.840.113549.1.1.13': { hash: 'sha512', keyType: 'rsa' },
  '1.2.840.10045.4.1': { hash: 'sha1', keyType: 'ec' },
  '1.2.840.10045.4.3.1': { hash: 'sha224', keyType: 'ec' },
  '1.2.840.10045.4.3.2': { hash: 'sha256', keyType: 'ec' },
  '1.2.840.10045.4.3.3': { hash: 'sha384', keyType: 'ec' },
  '1.2.840.10045.4.3.4': { hash: 'sha512', keyType: 'ec' },
  '1.3.101.112': { hash: null, keyType: 'ed25519' },
  '1.3.101.113': { hash: null, keyType: 'ed448' },
};

/** Certificate extensions the end-entity writer writes and the certificate page names. */
export const EXTENSION_OID = {
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  issuerAltName: '2.5.29.18',
  basicConstraints: '2.5.29.19',
  nameConstraints: '2.5.29.30',
  crlDistributionPoints: '2.5.29.31',
  certificatePolicies: '2.5.29.32',
  authorityKeyIdentifier: '2.5.29.35',
  extendedKeyUsage: '2.5.29.37',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  tlsFeature: '1.3.6.1.5.5.7.1.24',
  ctPrecertificateScts: '1.3.6.1.4.1.11129.2.4.2',
  ctPrecertificatePoison: '1.3.6.1.4.1.11129.2.4.3',
} as const;

/** CRL extensions the built-in CA writes (RFC 5280 5.2). */
export const CRL_EXTENSION_OID = {
  crlNumber: '2.5.29.20',
} as const;

/** OCSP (RFC 6960) and the access methods of Authority Information Access (RFC 5280 4.2.2.1). */
export const OCSP_OID = {
  basicResponse: '1.3.6.1.5.5.7.48.1.1',
  nonce: '1.3.6.1.5.5.7.48.1.2',
  /** id-pkix-ocsp-nocheck: clients do not check the delegated responder's own revocation. */
  noCheck: '1.3.6.1.5.5.7.48.1.5',
  accessMethodOcsp: '1.3.6.1.5.5.7.48.1',
  accessMethodCaIssuers: '1.3.6.1.5.5.7.48.2',
} as const;

/** Hash algorithms an OCSP CertID may name. */
export const HASH_OID: Readonly<Record<string, 'sha1' | 'sha256' | 'sha384' | 'sha512'>> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** Extended key usages a template may ask for. */
export const EXTENDED_KEY_USAGE_OID: Readonly<Record<ExtendedKeyUsage, string>> = {
  SERVER_AUTH: '1.3.6.1.5.5.7.3.1',
  CLIENT_AUTH: '1.3.6.1.5.5.7.3.2',
  CODE_SIGNING: '1.3.6.1.5.5.7.3.3',
  EMAIL_PROTECTION: '1.3.6.1.5.5.7.3.4',
  TIME_STAMPING: '1.3.6.1.5.5.7.3.8',
  OCSP_SIGNING: '1.3.6.1.5.5.7.3.9',
};
export const ANY_EXTENDED_KEY_USAGE_OID = '2.5.29.37.0';

/** Certificate signature algorithms by OID, named as openssl prints them. */
export const SIGNATURE_ALGORITHM_NAMES: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  [OID.rsassaPss]: 'rsassaPss',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  [OID.ed25519]: 'ED25519',
};

/** Extensions and extended key usages as `openssl x509 -text` names them: one table, keyed by OID. */
export const OPENSSL_OID_NAMES: Readonly<Record<string, string>> = {
  [EXTENSION_OID.subjectKeyIdentifier]: 'X509v3 Subject Key Identifier',
  [EXTENSION_OID.keyUsage]: 'X509v3 Key Usage',
  [EXTENSION_OID.subjectAltName]: 'X509v3 Subject Alternative Name',
  [EXTENSION_OID.issuerAltName]: 'X509v3 Issuer Alternative Name',
  [EXTENSION_OID.basicConstraints]: 'X509v3 Basic Constraints',
  [EXTENSION_OID.nameConstraints]: 'X509v3 Name Constraints',
  [EXTENSION_OID.crlDistributionPoints]: 'X509v3 CRL Distribution Points',
  [EXTENSION_OID.certificatePolicies]: 'X509v3 Certificate Policies',
  [EXTENSION_OID.authorityKeyIdentifier]: 'X509v3 Authority Key Identifier',
  [EXTENSION_OID.extendedKeyUsage]: 'X509v3 Extended Key Usage',
  [EXTENSION_OID.authorityInfoAccess]: 'Authority Information Access',
  [EXTENSION_OID.ctPrecertificateScts]: 'CT Precertificate SCTs',
  [EXTENSION_OID.ctPrecertificatePoison]: 'CT Precertificate Poison',
  [EXTENSION_OID.tlsFeature]: 'TLS Feature',
  [OCSP_OID.noCheck]: 'OCSP No Check',

  [EXTENDED_KEY_USAGE_OID.SERVER_AUTH]: 'TLS Web Server Authentication',
  [EXTENDED_KEY_USAGE_OID.CLIENT_AUTH]: 'TLS Web Client Authentication',
  [EXTENDED_KEY_USAGE_OID.CODE_SIGNING]: 'Code Signing',
  [EXTENDED_KEY_USAGE_OID.EMAIL_PROTECTION]: 'E-mail Protection',
  [EXTENDED_KEY_USAGE_OID.TIME_STAMPING]: 'Time Stamping',
  [EXTENDED_KEY_USAGE_OID.OCSP_SIGNING]: 'OCSP Signing',
  [ANY_EXTENDED_KEY_USAGE_OID]: 'Any Extended Key Usage',
};
