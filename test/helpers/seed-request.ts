import type { CertificateRequestBody } from '../../src/shared/certificate-request';

// The example body of the seed ("Requesting a certificate using Automated Secure Keypair",
// ../shared/seeds/): the seed's own application, template and server type ids are the cloud's,
// so the test passes the ids this satellite has. Parse it with rpcInputSchemas.requestCertificate
// as every adapter does before calling the core.

export const SEED_COMMON_NAME = 'ask.venafi.example';

export interface SeedRequestIds {
  applicationId: string;
  certificateIssuingTemplateId: string;
  /** The seed names one (Apache in the cloud); optional in the body. */
  applicationServerTypeId?: string;
}

export function seedRequestBody(ids: SeedRequestIds, dnsNames: string[] = [SEED_COMMON_NAME]): CertificateRequestBody {
  return {
    isVaaSGenerated: true,
    applicationId: ids.applicationId,
    certificateIssuingTemplateId: ids.certificateIssuingTemplateId,
    ...(ids.applicationServerTypeId ? { applicationServerTypeId: ids.applicationServerTypeId } : {}),
    validityPeriod: 'P7D',
    csrAttributes: {
      commonName: SEED_COMMON_NAME,
      organization: 'Venafi, Inc.',
      organizationalUnits: ['Quality Assurance'],
      locality: 'Salt Lake City',
      state: 'Utah',
      country: 'US',
      subjectAlternativeNamesByType: { dnsNames },
      keyTypeParameters: { keyType: 'RSA', keyLength: 2048 },
    },
  };
}

/** Every field of the seed's example response. */
export const SEED_RESPONSE_FIELDS = [
  'id', 'companyId', 'applicationId', 'creationDate', 'modificationDate', 'status', 'certificateOwnerUserId', 'certificateIssuingTemplateId',
  'certificateIds', 'certificateSigningRequest', 'subjectDN', 'keyLength', 'keyType', 'subjectAlternativeNamesByType', 'validityPeriod',
] as const;

/** The SAN names of responses (not of requests: see reference/vaas-api.md). */
export const SEED_SAN_FIELDS = ['otherName', 'rfc822Name', 'dNSName', 'x400Address', 'directoryName', 'ediPartyName', 'uniformResourceIdentifier', 'iPAddress', 'registeredID'];
