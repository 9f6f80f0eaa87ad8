import { randomUUID } from 'node:crypto';
import type { CertificateRecord } from '../../../shared/certificate';
import type { CertificateRequestRecord } from '../../../shared/certificate-request';

// FOR TESTS ONLY: plausible records for store specs, with any field overridden.

const DAY = 86_400_000;

export function fakeCertificate(over: Partial<CertificateRecord> & { cn?: string; dns?: string[]; ips?: string[] } = {}): CertificateRecord {
  const { cn = 'www.example.com', dns = [cn], ips = [], ...rest } = over;
  const now = Date.now();
  return {
    id: randomUUID(),
    companyId: 'local',
    applicationIds: [],
    subjectCN: [cn],
    subjectDN: `CN=${cn}`,
    issuerDN: 'CN=Keypair Satellite Issuing CA, O=Keypair Satellite',
    subjectAlternativeNamesByType: {
      otherName: [],
      rfc822Name: [],
      dNSName: dns,
      x400Address: [],
      directoryName: [],
      ediPartyName: [],
      uniformResourceIdentifier: [],
      iPAddress: ips,
      registeredID: [],
    },
    serialNumber: randomUUID().replace(/-/g, '').toUpperCase(),
    fingerprint: randomUUID().replace(/-/g, '').toUpperCase() + '01234567',
    sha256Fingerprint: (randomUUID() + randomUUID()).replace(/-/g, '').toUpperCase(),
    validityStart: new Date(now - DAY).toISOString(),
    validityEnd: new Date(now + 90 * DAY).toISOString(),
    keyType: 'RSA',
    keyStrength: 2048,
    certificateStatus: 'ACTIVE',
    revocationStatus: 'NOT_REVOKED',
    isCA: false,
    chainCertificateIds: [],
    certificateName: cn,
    creationDate: new Date(now).toISOString(),
    modificationDate: new Date(now).toISOString(),
    ...rest,
  };
}

export function fakeRequest(over: Partial<CertificateRequestRecord> = {}): CertificateRequestRecord {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    applicationId: randomUUID(),
    certificateIssuingTemplateId: randomUUID(),
    validityPeriod: 'P90D',
    keyGeneration: 'SATELLITE',
    status: 'NEW',
    certificateIds: [],
    tags: [],
    creationDate: now,
    modificationDate: now,
    statusHistory: [{ status: 'NEW', at: now }],
    ...over,
  };
}
