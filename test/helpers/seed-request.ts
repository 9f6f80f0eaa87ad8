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

export function seedRequestBody(ids: SeedRequestIds): CertificateRequestBody {
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
      subjectAlternativeNamesByType: { dnsNames: [SEED_COMMON_NAME] },
      keyTypeParameters: { keyType: 'RSA', keyLength: 2048 },
    },
  };
}
