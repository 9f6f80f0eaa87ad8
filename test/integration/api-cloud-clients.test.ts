import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { unzipSync } from 'fflate';
import sodium from 'libsodium-wrappers';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cloudCurl, CURL, type CloudCurl } from '../helpers/cloud-curl';
import { startSatelliteServer, type SatelliteServer } from '../helpers/satellite-server';
import { SEED_RESPONSE_FIELDS, seedRequestBody } from '../helpers/seed-request';
import { describeWithTools, TOOLS } from '../helpers/tools';

// Issue 15: the calls the cloud's own clients make, answered as the cloud does, over the HTTPS
// listener the satellite opens by default, with curl trusting only the CA chain --tls-ca-file
// wrote. Request and response shapes are those read by vcert-python (vcert/connection_cloud.py,
// vcert/policy/pm_cloud.py, vcert/vaas_utils.py) and VCert (pkg/venafi/cloud): each test names
// the client call it stands for.

const CLOUD_APACHE_ID = '784938d1-ef0d-11eb-9461-7bb533ba575b';
describeWithTools([TOOLS.openssl, CURL])('the cloud\'s clients\' calls, over HTTPS with curl --cacert', () => {
  let sat: SatelliteServer;
  let dir: string;
  let applicationId: string;
  let templateId: string;
  let certificateId: string;
  let requestId: string;

  const curl = (...args: Parameters<CloudCurl>) => call(...args);
  let call: CloudCurl;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ks-cloud-clients-'));
    sat = await startSatelliteServer({ tls: true });
    call = cloudCurl(() => sat, dir);
    await sodium.ready;
    const apps = curl('GET', '/outagedetection/v1/applications').json<{ applications: { id: string; certificateIssuingTemplateAliasIdMap: Record<string, string> }[] }>();
    applicationId = apps.applications[0]!.id;
    templateId = Object.values(apps.applications[0]!.certificateIssuingTemplateAliasIdMap)[0]!;
  });
  afterAll(async () => {
    await sat?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves https:// with a certificate for 127.0.0.1 that curl verifies with the --tls-ca-file chain alone; openssl s_client agrees', () => {
    expect(sat.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(curl('GET', '/v1/useraccounts').status).toBe(200);
    const sClient = spawnSync('openssl', ['s_client', '-connect', sat.url.slice('https://'.length), '-CAfile', sat.tlsCaFile!, '-verify_return_error', '-verify_ip', '127.0.0.1'], { input: '', encoding: 'utf8' });
    expect(sClient.stdout).toMatch(/Verify return code: 0 \(ok\)/);
    // Plain HTTP on the TLS port is refused by the TLS layer, never answered.
    const plain = spawnSync('curl', ['-sS', '--max-time', '10', `${sat.url.replace('https://', 'http://')}/v1/useraccounts`], { encoding: 'utf8' });
    expect(plain.status).not.toBe(0);
  });

  it('serves HTTP/1.0 clients too: curl -0 offers ALPN http/1.0 alone, which Node\'s default refused in the handshake', () => {
    const r = spawnSync('curl', ['-sS', '-0', '--max-time', '20', '--cacert', sat.tlsCaFile!, '-H', `tppl-api-key: ${sat.apiKey}`, '-w', '\n%{http_code}', `${sat.url}/v1/useraccounts`], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n').at(-1)).toBe('200');
    expect(JSON.parse(r.stdout.split('\n')[0]!)).toHaveProperty('user');
  });

  it('a gzip-compressed body is refused as such (415 naming Content-Encoding), not as broken JSON', () => {
    writeFileSync(join(dir, 'search.json.gz'), gzipSync('{}'));
    const r = spawnSync('curl', ['-sS', '--max-time', '20', '--cacert', sat.tlsCaFile!, '-H', `tppl-api-key: ${sat.apiKey}`, '-H', 'content-type: application/json', '-H', 'content-encoding: gzip', '--data-binary', `@${join(dir, 'search.json.gz')}`, '-w', '\n%{http_code}', `${sat.url}/outagedetection/v1/certificatesearch`], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const [body, status] = r.stdout.split('\n');
    expect(status).toBe('415');
    expect(JSON.parse(body!)).toEqual({ errors: [{ code: 41500, message: 'Content-Encoding "gzip" is not accepted; send the body uncompressed, without a Content-Encoding header' }] });
    // The same body uncompressed is answered.
    expect(curl('POST', '/outagedetection/v1/certificatesearch', {}).status).toBe(200);
  });

  it('accepts Authorization: Bearer KEY like tppl-api-key (VCert with a token), and refuses a wrong one', () => {
    expect(curl('GET', '/v1/useraccounts', undefined, 'bearer').status).toBe(200);
    const wrong = spawnSync('curl', ['-sS', '--cacert', sat.tlsCaFile!, '-o', '/dev/null', '-w', '%{http_code}', '-H', 'Authorization: Bearer nope', `${sat.url}/v1/useraccounts`], { encoding: 'utf8' });
    expect(wrong.stdout).toBe('401');
  });

  it('the seed body verbatim, with the cloud\'s Apache applicationServerTypeId: 201 with every seed field, and the certificate verifies', () => {
    const types = curl('GET', '/outagedetection/v1/applicationservertypes').json<{ applicationServerTypes: { id: string; platformName: string; keyStoreType: string }[] }>();
    expect(types.applicationServerTypes).toContainEqual(expect.objectContaining({ id: CLOUD_APACHE_ID, platformName: 'Apache', keyStoreType: 'PEM' }));
    const res = curl('POST', '/outagedetection/v1/certificaterequests', seedRequestBody({ applicationId, certificateIssuingTemplateId: templateId, applicationServerTypeId: CLOUD_APACHE_ID }, ['ask.venafi.example']));
    expect(res.status, res.body.toString()).toBe(201);
    const request = res.json<{ certificateRequests: Record<string, unknown>[] }>().certificateRequests[0]!;
    for (const field of SEED_RESPONSE_FIELDS) expect(request, field).toHaveProperty(field);
    expect(request.status).toBe('ISSUED');
    requestId = request.id as string;
    certificateId = (request.certificateIds as string[])[0]!;
    // vcert retrieve_cert: GET contents?chainOrder=EE_FIRST&format=PEM must be text/plain.
    const contents = curl('GET', `/outagedetection/v1/certificates/${certificateId}/contents?chainOrder=EE_FIRST&format=PEM`);
    expect(contents.status).toBe(200);
    expect(contents.contentType).toMatch(/^text\/plain/);
    writeFileSync(join(dir, 'chain.pem'), contents.body);
    const ee = contents.body.toString().split(/(?<=-----END CERTIFICATE-----\n)/)[0]!;
    writeFileSync(join(dir, 'ee.pem'), ee);
    expect(execFileSync('openssl', ['verify', '-CAfile', sat.tlsCaFile!, join(dir, 'ee.pem')], { encoding: 'utf8' })).toMatch(/: OK/);
  });

  it('VCert RequestCertificate: certificateUsageMetadata and certificateOwnerUserId are kept and answered back; an owner not of this satellite is refused', () => {
    const userId = curl('GET', '/v1/useraccounts').json<{ user: { id: string } }>().user.id;
    // pkg/venafi/cloud/connector.go: what VCert adds to the body for a service-generated request.
    const usage = [{ appName: 'vcert', nodeName: 'web-01', automationMetadata: '{"playbook":"nginx"}' }];
    const body = { ...seedRequestBody({ applicationId, certificateIssuingTemplateId: templateId }, ['usage.venafi.example']), certificateUsageMetadata: usage, certificateOwnerUserId: userId };
    body.csrAttributes!.commonName = 'usage.venafi.example';
    const res = curl('POST', '/outagedetection/v1/certificaterequests', body);
    expect(res.status, res.body.toString()).toBe(201);
    const made = res.json<{ certificateRequests: { id: string; certificateUsageMetadata: unknown; certificateOwnerUserId: string }[] }>().certificateRequests[0]!;
    expect(made).toMatchObject({ certificateUsageMetadata: usage, certificateOwnerUserId: userId });
    expect(curl('GET', `/outagedetection/v1/certificaterequests/${made.id}`).json()).toMatchObject({ certificateUsageMetadata: usage, certificateOwnerUserId: userId });
    const stranger = curl('POST', '/outagedetection/v1/certificaterequests', { ...body, certificateOwnerUserId: '00000000-0000-4000-8000-000000000000' });
    expect(stranger.status).toBe(400);
    expect(stranger.json<{ errors: { args: { field: string } }[] }>().errors[0]!.args.field).toBe('certificateOwnerUserId');
  });

  it('VCert ImportCertificate: base64 DER with its issuer, 201 certificateInformations; the search by fingerprint that follows finds it; a repeat answers the same; garbage is refused by field', () => {
    const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'imp-ca.key', '-out', 'imp-ca.pem', '-subj', '/CN=Elsewhere CA', '-days', '30');
    openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'imp.key', '-out', 'imp.csr', '-subj', '/CN=imported.example.com');
    writeFileSync(join(dir, 'imp.ext'), 'subjectAltName=DNS:imported.example.com\n');
    openssl('x509', '-req', '-in', 'imp.csr', '-CA', 'imp-ca.pem', '-CAkey', 'imp-ca.key', '-CAcreateserial', '-out', 'imp.pem', '-days', '7', '-extfile', 'imp.ext');
    const der = (file: string) => openssl('x509', '-in', file, '-outform', 'DER').toString('base64');
    const body = { certificates: [{ certificate: der('imp.pem'), issuerCertificates: [der('imp-ca.pem')], applicationIds: [applicationId], apiClientInformation: { type: 'VCert', identifier: '127.0.0.1' } }] };
    const res = curl('POST', '/outagedetection/v1/certificates', body);
    expect(res.status, res.body.toString()).toBe(201);
    const [info] = res.json<{ certificateInformations: { id: string; fingerprint: string; certificateSource: string; validityEndDate: string }[] }>().certificateInformations;
    expect(info).toMatchObject({ certificateSource: 'USER_PROVIDED', validityEndDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) });
    const sha1 = openssl('x509', '-in', 'imp.pem', '-noout', '-fingerprint', '-sha1').toString().split('=')[1]!.trim().replace(/:/g, '');
    expect(info!.fingerprint.toUpperCase()).toBe(sha1.toUpperCase());
    const found = curl('POST', '/outagedetection/v1/certificatesearch', { expression: { operands: [{ field: 'fingerprint', operator: 'MATCH', value: info!.fingerprint }] } });
    expect(found.json<{ certificates: { id: string; subjectCN: string[] }[] }>().certificates).toEqual([expect.objectContaining({ id: info!.id, subjectCN: ['imported.example.com'] })]);
    expect(curl('POST', '/outagedetection/v1/certificates', body).json<{ certificateInformations: { id: string }[] }>().certificateInformations[0]!.id).toBe(info!.id);
    const garbage = curl('POST', '/outagedetection/v1/certificates', { certificates: [{ certificate: Buffer.from('not a certificate').toString('base64'), applicationIds: [applicationId] }] });
    expect(garbage.status).toBe(400);
    expect(garbage.json<{ errors: { args: { field: string } }[] }>().errors[0]!.args.field).toBe('certificates.0.certificate');
  });

  it('vcert get_policy / ASK: templates name a CA account; /v1/certificateauthorities/BUILTIN/accounts/{id} and /accounts/None answer it with a product option', () => {
    const template = curl('GET', '/v1/certificateissuingtemplates').json<{ certificateIssuingTemplates: Record<string, string>[] }>().certificateIssuingTemplates.find((t) => t.id === templateId)!;
    expect(template.certificateAuthority).toBe('BUILTIN');
    for (const accountId of [template.certificateAuthorityAccountId!, 'None']) {
      const account = curl('GET', `/v1/certificateauthorities/BUILTIN/accounts/${accountId}`);
      expect(account.status).toBe(200);
      const details = account.json<{ account: { id: string; key: string; certificateAuthority: string }; productOptions: { id: string; productName: string; productDetails: { productTemplate: object } }[] }>();
      expect(details.account).toMatchObject({ id: template.certificateAuthorityAccountId, certificateAuthority: 'BUILTIN' });
      expect(details.productOptions[0]).toMatchObject({ id: template.certificateAuthorityProductOptionId });
      expect(details.productOptions[0]!.productDetails.productTemplate).toBeDefined();
    }
    const list = curl('GET', '/v1/certificateauthorities/BUILTIN/accounts').json<{ accounts: { account: { id: string } }[] }>();
    expect(list.accounts.map((a) => a.account.id)).toEqual([template.certificateAuthorityAccountId]);
    expect(curl('GET', '/v1/certificateauthorities/BUILTIN/accounts/00000000-0000-4000-8000-000000000000').status).toBe(404);
    // pm_cloud.resolve_uri_protocols reads "(protocols)://" out of every URI regex.
    expect(template.sanUniformResourceIdentifierRegexes![0]).toMatch(/^\([a-z|]+\):\/\//);
  });

  it('vcert resolve_cloud_owners_names: applications list their owners; /v1/users/{id}, /v1/users/username/{name} and /v1/teams name them', () => {
    const app = curl('GET', `/outagedetection/v1/applications/${applicationId}`).json<{ ownerIdsAndTypes: { ownerId: string; ownerType: string }[] }>();
    expect(app.ownerIdsAndTypes).toEqual([{ ownerId: expect.any(String), ownerType: 'USER' }]);
    const user = curl('GET', `/v1/users/${app.ownerIdsAndTypes[0]!.ownerId}`).json<{ id: string; username: string; userStatus: string }>();
    expect(user).toMatchObject({ id: app.ownerIdsAndTypes[0]!.ownerId, username: 'satellite', userStatus: 'ACTIVE' });
    expect(curl('GET', '/v1/users/username/satellite').json<{ users: { id: string }[] }>().users[0]!.id).toBe(user.id);
    expect(curl('GET', '/v1/users/username/nobody').json<{ users: unknown[] }>().users).toEqual([]);
    expect(curl('GET', '/v1/teams').json<{ teams: { id: string; name: string }[] }>().teams[0]).toMatchObject({ id: expect.any(String), name: expect.any(String) });
  });

  it('vcert _retrieve_service_generated_cert: the keystore with certificateLabel "" is octet-stream, and _root-first.pem splits on blank lines into root ... end entity', async () => {
    const { dekHash } = curl('GET', `/outagedetection/v1/certificates/${certificateId}`).json<{ dekHash: string }>();
    const { key } = curl('GET', `/v1/edgeencryptionkeys/${dekHash}`).json<{ key: string }>();
    const sealed = Buffer.from(sodium.crypto_box_seal(Buffer.from('a passphrase for vcert 123'), Buffer.from(key, 'base64'))).toString('base64');
    const res = curl('POST', `/outagedetection/v1/certificates/${certificateId}/keystore`, { exportFormat: 'PEM', encryptedPrivateKeyPassphrase: sealed, encryptedKeystorePassphrase: '', certificateLabel: '' });
    expect(res.status, res.body.toString()).toBe(200);
    expect(res.contentType).toBe('application/octet-stream');
    const files = unzipSync(new Uint8Array(res.body));
    const rootFirst = Object.entries(files).find(([name]) => name.endsWith('_root-first.pem'))![1];
    const parts = Buffer.from(rootFirst).toString('utf8').trim().split('\n\n');
    expect(parts).toHaveLength(3);
    writeFileSync(join(dir, 'last.pem'), parts[2]!);
    expect(execFileSync('openssl', ['x509', '-in', join(dir, 'last.pem'), '-noout', '-subject'], { encoding: 'utf8' })).toMatch(/CN\s?=\s?ask\.venafi\.example/);
  });

  it('vcert renew_cert: the certificate record carries subjectO/OU/L/ST/C, subjectAlternativeNameDns and certificateRequestId', () => {
    const record = curl('GET', `/outagedetection/v1/certificates/${certificateId}`).json<Record<string, unknown>>();
    expect(record).toMatchObject({
      certificateRequestId: requestId,
      subjectCN: ['ask.venafi.example'],
      subjectO: 'Venafi, Inc.',
      subjectOU: ['Quality Assurance'],
      subjectL: 'Salt Lake City',
      subjectST: 'Utah',
      subjectC: 'US',
      subjectAlternativeNameDns: ['ask.venafi.example'],
    });
  });

  it('vcert search_by_thumbprint: {expression: {operands: [...]}} without a top-level operator finds the certificate', () => {
    const { fingerprint } = curl('GET', `/outagedetection/v1/certificates/${certificateId}`).json<{ fingerprint: string }>();
    const found = curl('POST', '/outagedetection/v1/certificatesearch', { expression: { operands: [{ field: 'fingerprint', operator: 'MATCH', value: fingerprint }] } });
    expect(found.status, found.body.toString()).toBe(200);
    expect(found.json<{ count: number; certificates: { id: string }[] }>().certificates.map((c) => c.id)).toEqual([certificateId]);
  });

  it('vcert retire_cert and the cloud\'s recovery: RETIRED, then ACTIVE again', () => {
    const retired = curl('POST', '/outagedetection/v1/certificates/retirement', { certificateIds: [certificateId] });
    expect(retired.status).toBe(200);
    expect(retired.json<{ count: number }>().count).toBe(1);
    expect(curl('GET', `/outagedetection/v1/certificates/${certificateId}`).json<{ certificateStatus: string }>().certificateStatus).toBe('RETIRED');
    expect(curl('POST', '/outagedetection/v1/certificates/recovery', { certificateIds: [certificateId] }).status).toBe(200);
    expect(curl('GET', `/outagedetection/v1/certificates/${certificateId}`).json<{ certificateStatus: string }>().certificateStatus).toBe('ACTIVE');
  });

  it('vcert revoke_cert: the GraphQL RevokeCertificateRequest mutation revokes by thumbprint; an unknown operation is a GraphQL error', () => {
    const { fingerprint } = curl('GET', `/outagedetection/v1/certificates/${certificateId}`).json<{ fingerprint: string }>();
    const query = 'mutation RevokeCertificateRequest($fingerprint: ID!, $certificateAuthorityAccountId: UUID, $revocationReason: RevocationReason!, $revocationComment: String) { revokeCertificate(fingerprint: $fingerprint) { id } }';
    const res = curl('POST', '/graphql', { operationName: 'RevokeCertificateRequest', query, variables: { fingerprint, certificateAuthorityAccountId: null, revocationReason: 'SUPERSEDED', revocationComment: null } });
    expect(res.status).toBe(200);
    const data = res.json<{ data: { revokeCertificate: { id: string; fingerprint: string; revocation: { status: string; error: unknown } } } }>().data;
    expect(data.revokeCertificate).toMatchObject({ id: certificateId, fingerprint, revocation: { status: 'SUBMITTED', error: null } });
    expect(curl('GET', `/outagedetection/v1/certificates/${certificateId}`).json<{ revocationStatus: string }>().revocationStatus).toBe('REVOKED');
    const other = curl('POST', '/graphql', { query: 'query Everything { secrets }' }).json<{ errors: { message: string }[] }>();
    expect(other.errors[0]!.message).toMatch(/not served here/);
  });
});
