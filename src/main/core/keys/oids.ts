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
} as const;

/** GeneralName choice tags (RFC 5280 4.2.1.6). */
export const GENERAL_NAME = { rfc822Name: 1, dNSName: 2, uniformResourceIdentifier: 6, iPAddress: 7 } as const;
