import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/shared/error-codes';
import { cloudCurl, CURL, type CloudCurl } from '../helpers/cloud-curl';
import { startSatelliteServer, type SatelliteServer } from '../helpers/satellite-server';
import { seedRequestBody } from '../helpers/seed-request';
import { describeWithTools, TOOLS } from '../helpers/tools';

// Issue 15: set_policy and get_policy as the cloud's clients make them, over HTTPS with curl
// --cacert. The calls and bodies are VCert's (Venafi/vcert pkg/venafi/cloud/connectorPolicy.go
// SetPolicy; pkg/policy/policyUtils.go BuildCloudCitRequest; pkg/policy/policyStructures.go
// CloudPolicyRequest and Application) and vcert-python's (vcert/connection_cloud.py set_policy;
// vcert/policy/pm_cloud.py build_cit_request, build_app_create_request, build_app_update_request).

const ZONE_APP = 'Payments';
const ZONE_ALIAS = 'Web servers';
/** VCert's ConvertToRegex for domains ["example.com"] without wildcards. */
const DOMAIN_REGEX = '[a-z]{1}[a-z0-9.-]*\\.example\\.com';
/** VCert's ipv4 constant, sent when IP SANs are allowed with no constraints. */
const IPV4 = '\\b((25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)(\\.|$)){4}\\b';

/** VCert's CloudPolicyRequest as BuildCloudCitRequest fills it (nil slices and pointers as null). */
function vcertTemplateBody(productOptionId: string, maxValidDays: number) {
  return {
    name: ZONE_ALIAS,
    certificateAuthority: 'BUILTIN',
    certificateAuthorityProductOptionId: productOptionId,
    product: { certificateAuthority: 'BUILTIN', productName: 'Default Product', validityPeriod: `P${maxValidDays}D` },
    trackingData: null,
    subjectCNRegexes: [DOMAIN_REGEX],
    subjectORegexes: ['Example Inc'],
    subjectOURegexes: ['Ops'],
    subjectLRegexes: ['Vienna'],
    subjectSTRegexes: ['Wien'],
    subjectCValues: ['AT'],
    sanRegexes: [DOMAIN_REGEX],
    sanIpAddressRegexes: [IPV4],
    sanRfc822NameRegexes: null,
    sanUniformResourceIdentifierRegexes: null,
    keyTypes: [
      { keyType: 'RSA', keyLengths: [2048, 3072] },
      { keyType: 'EC', keyCurves: ['P256'] },
    ],
    keyReuse: false,
    recommendedSettings: { subjectCNRegexes: null, subjectOValue: 'Example Inc', subjectOUValue: 'Ops', subjectLValue: 'Vienna', subjectSTValue: 'Wien', subjectCValue: 'AT', sanRegexes: null, key: { type: 'EC', curve: 'P256' } },
    csrUploadAllowed: true,
    keyGeneratedByVenafiAllowed: true,
  };
}

/** VCert's policy.Application (every field present, nil slices as null); vcert-python's build_app_update_request sends the same keys. */
function vcertApplicationBody(name: string, description: string, ownerId: string, aliases: Record<string, string>) {
  return {
    ownerIdsAndTypes: [{ ownerId, ownerType: 'USER' }],
    name,
    description,
    fqdns: null,
    internalFqdns: null,
    internalIpRanges: null,
    externalIpRanges: null,
    internalPorts: null,
    fullyQualifiedDomainNames: null,
    ipRanges: null,
    ports: null,
    certificateIssuingTemplateAliasIdMap: aliases,
  };
}

describeWithTools([TOOLS.openssl, CURL])('set_policy and get_policy, as the cloud\'s clients make them', () => {
  let sat: SatelliteServer;
  let dir: string;
  let curl: CloudCurl;
  let productOptionId: string;
  let userId: string;
  let templateId: string;
  let applicationId: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ks-cloud-policy-'));
    sat = await startSatelliteServer({ tls: true });
    curl = cloudCurl(() => sat, dir);
    userId = curl('GET', '/v1/useraccounts').json<{ user: { id: string } }>().user.id;
  });
  afterAll(async () => {
    await sat?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('getCertificateAuthorityDetails: the default CA "BUILTIN\\\\Built-In CA\\\\Default Product" is found by account key and product name', () => {
    const { accounts } = curl('GET', '/v1/certificateauthorities/BUILTIN/accounts').json<{ accounts: { account: { key: string }; productOptions: { id: string; productName: string }[] }[] }>();
    const account = accounts.find((a) => a.account.key === 'Built-In CA');
    expect(account, 'no account with key "Built-In CA"').toBeDefined();
    const option = account!.productOptions.find((p) => p.productName === 'Default Product');
    expect(option).toBeDefined();
    productOptionId = option!.id;
  });

  it('SetPolicy, zone new: POST the template (201, list shape), the application is 404 by name, POST it (201)', () => {
    const created = curl('POST', '/v1/certificateissuingtemplates', vcertTemplateBody(productOptionId, 120));
    expect(created.status, created.body.toString()).toBe(201);
    const [template] = created.json<{ certificateIssuingTemplates: { id: string; name: string; certificateAuthority: string }[] }>().certificateIssuingTemplates;
    expect(template).toMatchObject({ name: ZONE_ALIAS, certificateAuthority: 'BUILTIN' });
    templateId = template!.id;

    expect(curl('GET', `/outagedetection/v1/applications/name/${ZONE_APP}`).status).toBe(404);
    const app = curl('POST', '/outagedetection/v1/applications', { ...vcertApplicationBody(ZONE_APP, '', userId, { [ZONE_ALIAS]: templateId }), startTargetedDiscovery: false });
    expect(app.status, app.body.toString()).toBe(201);
    applicationId = app.json<{ applications: { id: string }[] }>().applications[0]!.id;
  });

  it('GetPolicy: the zone\'s template carries what was set, and its CA account resolves', () => {
    const got = curl('GET', `/outagedetection/v1/applications/${encodeURIComponent(ZONE_APP)}/certificateissuingtemplates/${encodeURIComponent(ZONE_ALIAS)}`);
    expect(got.status).toBe(200);
    const t = got.json<Record<string, unknown> & { certificateAuthorityAccountId: string; certificateAuthorityProductOptionId: string; product: { validityPeriod: string } }>();
    expect(t).toMatchObject({
      id: templateId,
      subjectCNRegexes: [DOMAIN_REGEX],
      sanIpAddressRegexes: [IPV4],
      sanRfc822NameRegexes: [],
      sanUniformResourceIdentifierRegexes: [],
      subjectCValues: ['AT'],
      keyTypes: [
        { keyType: 'RSA', keyLengths: [2048, 3072] },
        { keyType: 'EC', keyCurves: ['P256'] },
      ],
      recommendedSettings: { subjectOValue: 'Example Inc', key: { type: 'EC', curve: 'P256' } },
      certificateAuthorityProductOptionId: productOptionId,
    });
    expect(t.product.validityPeriod).toBe('P120D');
    expect(curl('GET', `/v1/certificateauthorities/BUILTIN/accounts/${t.certificateAuthorityAccountId}`).status).toBe(200);
  });

  it('SetPolicy, zone exists: PUT the template (200, the template itself), PUT the application (200)', () => {
    const updated = curl('PUT', `/v1/certificateissuingtemplates/${templateId}`, vcertTemplateBody(productOptionId, 90));
    expect(updated.status, updated.body.toString()).toBe(200);
    expect(updated.json()).toMatchObject({ id: templateId, name: ZONE_ALIAS, validityPeriod: 'P90D' });

    // vcert-python's build_app_update_request: the application as read, with the alias map.
    const app = curl('GET', `/outagedetection/v1/applications/${applicationId}`).json<{ name: string; description: string; certificateIssuingTemplateAliasIdMap: Record<string, string> }>();
    const put = curl('PUT', `/outagedetection/v1/applications/${applicationId}`, vcertApplicationBody(app.name, app.description, userId, { ...app.certificateIssuingTemplateAliasIdMap, 'Also web': templateId }));
    expect(put.status, put.body.toString()).toBe(200);
    expect(Object.keys(put.json<{ certificateIssuingTemplateAliasIdMap: Record<string, string> }>().certificateIssuingTemplateAliasIdMap).sort()).toEqual(['Also web', ZONE_ALIAS]);
  });

  it('enrolment in the zone follows the policy: an allowed name is ISSUED, a forbidden one is the cloud\'s 400 with 10726', () => {
    const body = (cn: string) => {
      const b = seedRequestBody({ applicationId, certificateIssuingTemplateId: templateId }, [cn]);
      Object.assign(b.csrAttributes!, { commonName: cn, organization: 'Example Inc', organizationalUnits: ['Ops'], locality: 'Vienna', state: 'Wien', country: 'AT', keyTypeParameters: { keyType: 'EC', keyCurve: 'P256' } });
      return b;
    };
    const ok = curl('POST', '/outagedetection/v1/certificaterequests', body('www.example.com'));
    expect(ok.status, ok.body.toString()).toBe(201);
    expect(ok.json<{ certificateRequests: { status: string }[] }>().certificateRequests[0]!.status).toBe('ISSUED');
    const refused = curl('POST', '/outagedetection/v1/certificaterequests', body('www.evil.com'));
    expect(refused.status).toBe(400);
    expect(refused.json<{ errors: { code: number; message: string }[] }>().errors[0]).toMatchObject({ code: ERROR_CODES.SUBJECT_VALUE_NOT_ALLOWED, message: expect.stringContaining('www.evil.com') });
  });

  it('refuses, naming the field, what the satellite cannot honour; nothing is saved', () => {
    const before = curl('GET', '/v1/certificateissuingtemplates').json<{ certificateIssuingTemplates: unknown[] }>().certificateIssuingTemplates.length;
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ ...vcertTemplateBody(productOptionId, 90), name: 'Reuse', keyReuse: true }, 'keyReuse', /never reuses/],
      [{ ...vcertTemplateBody(productOptionId, 90), name: 'Acme', certificateAuthority: 'ACME' }, 'certificateAuthority', /Settings > Issuing templates/],
      [{ ...vcertTemplateBody(productOptionId, 90), name: 'Odd', priority: 1 }, 'priority', /priority/],
      [{ ...vcertTemplateBody(productOptionId, 90), name: 'Slow', subjectCNRegexes: ['(\\w+\\s?)+'] }, 'subjectCNRegexes.0', /repeats something that itself repeats/],
    ];
    for (const [body, field, message] of cases) {
      const r = curl('POST', '/v1/certificateissuingtemplates', body);
      expect(r.status, `${field}: ${r.body.toString()}`).toBe(400);
      const errors = r.json<{ errors: { message: string; args?: { field?: string } }[] }>().errors;
      expect(errors.some((e) => e.args?.field === field && message.test(e.message)), JSON.stringify(errors)).toBe(true);
    }
    const stranger = curl('POST', '/outagedetection/v1/applications', { name: 'Stranger', ownerIdsAndTypes: [{ ownerId: '00000000-0000-4000-8000-000000000000', ownerType: 'USER' }] });
    expect(stranger.status).toBe(400);
    expect(curl('GET', '/v1/certificateissuingtemplates').json<{ certificateIssuingTemplates: unknown[] }>().certificateIssuingTemplates.length).toBe(before);
    expect(curl('GET', '/outagedetection/v1/applications/name/Stranger').status).toBe(404);
  });
});
