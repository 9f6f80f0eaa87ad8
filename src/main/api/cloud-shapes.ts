import type { CertificateRecord } from '../../shared/certificate';
import type { CertificateRequestRecord, CertificateRequestResponse, ResponseSubjectAlternativeNames } from '../../shared/certificate-request';
import type { SubjectAlternativeNamesByType } from '../../shared/csr-attributes';
import type { Application, IssuingTemplate } from '../../shared/settings';
import { toCloudDate, withCloudDates } from './cloud-dates';
import type { CloudIdentity } from '../core/identity';
import { applicationOwners, caAccount, caAccountId, caProductOptionId } from './cloud-directory';

const NO_SANS: SubjectAlternativeNamesByType = { dnsNames: [], ipAddresses: [], rfc822Names: [], uniformResourceIdentifiers: [] };

/** Request SAN names (dnsNames, ...) as the cloud answers them (dNSName, ... and the five it never fills). */
export function toResponseSans(sans: SubjectAlternativeNamesByType): ResponseSubjectAlternativeNames {
  return {
    otherName: [],
    rfc822Name: [...sans.rfc822Names],
    dNSName: [...sans.dnsNames],
    x400Address: [],
    directoryName: [],
    ediPartyName: [],
    uniformResourceIdentifier: [...sans.uniformResourceIdentifiers],
    iPAddress: [...sans.ipAddresses],
    registeredID: [],
  };
}

/** One element of `{certificateRequests: [...]}`, with every field of the seed's example response. */
export function toCertificateRequestResponse(record: CertificateRequestRecord, identity: CloudIdentity): CertificateRequestResponse {
  // The core records what every request asks for, a caller's CSR included (read when it was checked).
  const sans = record.csrAttributes?.subjectAlternativeNamesByType ?? NO_SANS;
  const response: CertificateRequestResponse = {
    id: record.id,
    companyId: identity.companyId,
    applicationId: record.applicationId,
    creationDate: toCloudDate(record.creationDate)!,
    modificationDate: toCloudDate(record.modificationDate)!,
    status: record.status,
    certificateOwnerUserId: record.certificateOwnerUserId ?? identity.userId,
    certificateIssuingTemplateId: record.certificateIssuingTemplateId,
    certificateIds: [...record.certificateIds],
    certificateSigningRequest: record.certificateSigningRequest,
    subjectDN: record.subjectDN,
    keyLength: record.keyLength,
    keyType: record.keyType,
    keyCurve: record.keyCurve,
    subjectAlternativeNamesByType: toResponseSans(sans),
    validityPeriod: record.validityPeriod,
    errorInformation: record.errorInformation,
    existingCertificateId: record.existingCertificateId,
    certificateUsageMetadata: record.certificateUsageMetadata,
  };
  // Absent optional fields are left out, not sent as null.
  return Object.fromEntries(Object.entries(response).filter(([, v]) => v !== undefined)) as CertificateRequestResponse;
}

const CERTIFICATE_DATES = ['validityStart', 'validityEnd', 'creationDate', 'modificationDate', 'revocationDate'] as const;

/** A certificate as the cloud answers it, with the flat SAN lists its clients read (vcert's renew copies subjectAlternativeNameDns). */
export function toCertificateResponse(record: CertificateRecord) {
  const sans = record.subjectAlternativeNamesByType;
  return {
    ...withCloudDates(record, CERTIFICATE_DATES),
    subjectAlternativeNameDns: [...sans.dNSName],
    subjectAlternativeNameIp: [...sans.iPAddress],
    subjectAlternativeNameEmail: [...sans.rfc822Name],
    subjectAlternativeNameUri: [...sans.uniformResourceIdentifier],
  };
}

export function toApplicationResponse(app: Application, identity: CloudIdentity) {
  return { ...withCloudDates(app, ['creationDate', 'modificationDate']), companyId: identity.companyId, ownerIdsAndTypes: applicationOwners(identity) };
}

/** A template with the CA account and product option the cloud's clients look up (GET /v1/certificateauthorities/{ca}/accounts/{id}). */
export function toTemplateResponse(template: IssuingTemplate, identity: CloudIdentity) {
  return {
    ...withCloudDates(template, ['creationDate', 'modificationDate']),
    companyId: identity.companyId,
    certificateAuthorityAccountId: caAccountId(identity, template.certificateAuthority),
    certificateAuthorityProductOptionId: caProductOptionId(identity, template.certificateAuthority),
    product: { certificateAuthority: template.certificateAuthority, productName: caAccount(identity, template.certificateAuthority).productOptions[0]!.productName, validityPeriod: template.validityPeriod },
  };
}

/** One element of the cloud's import answer, `{certificateInformations: [...]}` (VCert's importResponseCertInfo). */
export function toImportedCertificateInformation(record: CertificateRecord, identity: CloudIdentity, apiClientInformation?: { type?: string; identifier?: string }) {
  return {
    id: record.id,
    managedCertificateId: record.id,
    companyId: identity.companyId,
    fingerprint: record.fingerprint,
    certificateSource: 'USER_PROVIDED',
    ownerUserId: identity.userId,
    validityStartDate: toCloudDate(record.validityStart),
    validityEndDate: toCloudDate(record.validityEnd),
    ...(apiClientInformation ? { apiClientInformation } : {}),
  };
}
