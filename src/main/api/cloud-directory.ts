import { CERTIFICATE_AUTHORITIES as CA_TYPES, type CertificateAuthorityType as CaType } from '../../shared/settings';
import { nameBasedUuid, type CloudIdentity } from '../core/identity';

// What the cloud calls its directory, for the one satellite: one local user, one team it belongs
// to, and one CA account (with one product option) per kind of CA the satellite issues from.
// The cloud's clients read these before they request (vcert get_policy, ASK requests) and to
// name owners; the ids are derived from the satellite's, so they are the same on every start.

export const SATELLITE_USERNAME = 'satellite';
export const SATELLITE_TEAM_NAME = 'Satellite administrators';

/** The satellite's one user, in the shape of GET /v1/users/{id}. */
export function satelliteUser(identity: CloudIdentity) {
  return {
    id: identity.userId,
    username: SATELLITE_USERNAME,
    companyId: identity.companyId,
    firstname: 'Keypair',
    lastname: 'Satellite',
    emailAddress: 'satellite@localhost',
    userType: 'EXTERNAL',
    userAccountType: 'API',
    userStatus: 'ACTIVE',
    systemRoles: ['PLATFORM_ADMIN'],
    ownedTeams: [teamId(identity)],
    memberedTeams: [teamId(identity)],
  };
}

const teamId = (identity: CloudIdentity) => nameBasedUuid(identity.companyId, 'team');

/** The satellite's one team, in the shape of an element of GET /v1/teams. */
export function satelliteTeam(identity: CloudIdentity) {
  return {
    id: teamId(identity),
    name: SATELLITE_TEAM_NAME,
    role: 'PLATFORM_ADMIN',
    companyId: identity.companyId,
    members: [identity.userId],
    owners: [identity.userId],
    userMatchingRules: [],
  };
}

/** Who owns an application, as the cloud lists it (vcert iterates this list). */
export function applicationOwners(identity: CloudIdentity): { ownerId: string; ownerType: 'USER' | 'TEAM' }[] {
  return [{ ownerId: identity.userId, ownerType: 'USER' }];
}

const ACCOUNT_KEYS: Record<CaType, { key: string; productName: string }> = {
  // VCert's and vcert-python's default CA is "BUILTIN\\Built-In CA\\Default Product": matched to the letter.
  BUILTIN: { key: 'Built-In CA', productName: 'Default Product' },
  ACME: { key: 'ACME', productName: 'ACME Certificate' },
  CLOUD: { key: 'TLS Protect Cloud', productName: 'Cloud Certificate' },
  MANUAL: { key: 'Manual', productName: 'Manual Certificate' },
};

export const caAccountId = (identity: CloudIdentity, ca: CaType) => nameBasedUuid(identity.companyId, `ca-account:${ca}`);
export const caProductOptionId = (identity: CloudIdentity, ca: CaType) => nameBasedUuid(identity.companyId, `ca-product-option:${ca}`);

/** One CA account with its product option, as GET /v1/certificateauthorities/{ca}/accounts/{id} answers. */
export function caAccount(identity: CloudIdentity, ca: CaType) {
  const { key, productName } = ACCOUNT_KEYS[ca];
  return {
    account: { id: caAccountId(identity, ca), key, certificateAuthority: ca, companyId: identity.companyId, status: 'ACTIVE' },
    productOptions: [
      {
        id: caProductOptionId(identity, ca),
        productName,
        productTypes: ['SSL'],
        productDetails: { productTemplate: { organizationId: 0, certificateAuthority: ca, productName, productTypes: ['SSL'], validityPeriod: 'P397D' } },
      },
    ],
  };
}

/** The CA kind a path names, case-insensitively (the cloud's clients send upper case). */
export function caTypeNamed(name: string): CaType | undefined {
  const upper = name.toUpperCase();
  return (CA_TYPES as readonly string[]).includes(upper) ? (upper as CaType) : undefined;
}
