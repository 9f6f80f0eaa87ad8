import { z } from 'zod';
import { certificateRequestBodySchema } from '../../shared/certificate-request';
import { downloadCertificateInputSchema, downloadDekBackupInputSchema, downloadKeystoreInputSchema, rpcInputSchemas } from '../../shared/client';
import { certificateSearchSchema } from '../../shared/search';
import { cloudApplicationBodySchema, cloudTemplateBodySchema } from './cloud-policy';
import { certificateRequestResponseSchema, certificateRequestsResponseSchema, cloudErrorSchema, edgeEncryptionKeySchema } from './response-schemas';
import { caAccountParamsSchema, caParamsSchema, certificateIdsBodySchema, certificateImportBodySchema, contentsQuerySchema, dekHashParamsSchema, idParamsSchema, keystoreRequestBodySchema, nameParamsSchema, templateAliasParamsSchema } from './routes/cloud-schemas';

type Auth = 'apiKey' | 'session' | 'none';

interface Operation {
  method: 'get' | 'post' | 'put' | 'delete';
  /** OpenAPI form: /certificates/{id}. */
  path: string;
  summary: string;
  auth: Auth;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** Success status and what it carries. */
  success: { status: number; description: string; json?: z.ZodType; binary?: boolean };
}

const json = (schema: z.ZodType, io: 'input' | 'output') => z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' });

const CLOUD: Operation[] = [
  { method: 'post', path: '/outagedetection/v1/certificaterequests', summary: 'Request a certificate: the satellite makes key and CSR (isVaaSGenerated + csrAttributes) or takes your CSR', auth: 'apiKey', body: certificateRequestBodySchema, success: { status: 201, description: 'the request, with every field of the cloud\'s answer', json: certificateRequestsResponseSchema } },
  { method: 'get', path: '/outagedetection/v1/certificaterequests/{id}', summary: 'A certificate request and its status', auth: 'apiKey', params: idParamsSchema, success: { status: 200, description: 'the request', json: certificateRequestResponseSchema } },
  { method: 'get', path: '/outagedetection/v1/certificates/{id}', summary: 'A certificate (dekHash set when the satellite holds its key)', auth: 'apiKey', params: idParamsSchema, success: { status: 200, description: 'the certificate' } },
  { method: 'get', path: '/outagedetection/v1/certificates/{id}/contents', summary: 'The certificate and chain, PEM or DER; 409 while the request is not issued', auth: 'apiKey', params: idParamsSchema, query: contentsQuerySchema, success: { status: 200, description: 'certificate bytes', binary: true } },
  { method: 'post', path: '/outagedetection/v1/certificates/{id}/keystore', summary: 'PEM (ZIP), PKCS#12 or JKS with passphrases sealed (crypto_box_seal) to the edge encryption key', auth: 'apiKey', params: idParamsSchema, body: keystoreRequestBodySchema, success: { status: 200, description: 'keystore bytes; file name in Content-Disposition, scheme in X-Export-Scheme', binary: true } },
  { method: 'post', path: '/outagedetection/v1/certificates', summary: 'Import certificates made elsewhere (base64 DER, with issuers), without keys; an import repeated answers the certificate already there', auth: 'apiKey', body: certificateImportBodySchema, success: { status: 201, description: '{certificateInformations}' } },
  { method: 'post', path: '/outagedetection/v1/certificatesearch', summary: 'Search the inventory', auth: 'apiKey', body: certificateSearchSchema, success: { status: 200, description: '{count, certificates}' } },
  { method: 'post', path: '/outagedetection/v1/certificates/retirement', summary: 'Retire certificates: they stay, with their keys, out of the default lists', auth: 'apiKey', body: certificateIdsBodySchema, success: { status: 200, description: '{count, certificates}' } },
  { method: 'post', path: '/outagedetection/v1/certificates/recovery', summary: 'Recover retired certificates (not revoked ones)', auth: 'apiKey', body: certificateIdsBodySchema, success: { status: 200, description: '{count, certificates}' } },
  { method: 'post', path: '/graphql', summary: 'The two GraphQL operations the cloud\'s clients send: RevokeCertificateRequest (revoke by SHA-1 thumbprint) and ListCAAccounts', auth: 'apiKey', success: { status: 200, description: '{data} or {errors}, as GraphQL answers' } },
  { method: 'get', path: '/v1/edgeencryptionkeys/{dekHash}', summary: 'The X25519 public key that keystore passphrases are sealed to', auth: 'apiKey', params: dekHashParamsSchema, success: { status: 200, description: 'the edge encryption key', json: edgeEncryptionKeySchema } },
  { method: 'get', path: '/outagedetection/v1/applications', summary: 'Applications', auth: 'apiKey', success: { status: 200, description: '{applications}' } },
  { method: 'get', path: '/outagedetection/v1/applications/{id}', summary: 'An application by id', auth: 'apiKey', params: idParamsSchema, success: { status: 200, description: 'the application' } },
  { method: 'get', path: '/outagedetection/v1/applications/name/{name}', summary: 'An application by name', auth: 'apiKey', params: nameParamsSchema, success: { status: 200, description: 'the application' } },
  { method: 'get', path: '/outagedetection/v1/applications/{appName}/certificateissuingtemplates/{alias}', summary: 'The issuing template an application names by alias', auth: 'apiKey', params: templateAliasParamsSchema, success: { status: 200, description: 'the template' } },
  { method: 'get', path: '/v1/certificateissuingtemplates', summary: 'Issuing templates', auth: 'apiKey', success: { status: 200, description: '{certificateIssuingTemplates}' } },
  { method: 'post', path: '/v1/certificateissuingtemplates', summary: 'Create an issuing template in the cloud\'s shape (set_policy); BUILTIN or MANUAL', auth: 'apiKey', body: cloudTemplateBodySchema, success: { status: 201, description: '{certificateIssuingTemplates: [the template]}' } },
  { method: 'put', path: '/v1/certificateissuingtemplates/{id}', summary: 'Change an issuing template\'s policy (set_policy); its CA settings are kept', auth: 'apiKey', params: idParamsSchema, body: cloudTemplateBodySchema, success: { status: 200, description: 'the template' } },
  { method: 'post', path: '/outagedetection/v1/applications', summary: 'Create an application (set_policy)', auth: 'apiKey', body: cloudApplicationBodySchema, success: { status: 201, description: '{applications: [the application]}' } },
  { method: 'put', path: '/outagedetection/v1/applications/{id}', summary: 'Change an application: name, description, template aliases (set_policy)', auth: 'apiKey', params: idParamsSchema, body: cloudApplicationBodySchema, success: { status: 200, description: 'the application' } },
  { method: 'get', path: '/v1/applicationservertypes', summary: 'Application server types (the older API\'s applicationServerTypeId)', auth: 'apiKey', success: { status: 200, description: '{applicationServerTypes}' } },
  { method: 'get', path: '/outagedetection/v1/applicationservertypes', summary: 'Application server types, Apache and Citrix under the cloud\'s global ids', auth: 'apiKey', success: { status: 200, description: '{applicationServerTypes}' } },
  { method: 'get', path: '/v1/certificateauthorities/{ca}/accounts', summary: 'The CA account of a kind of CA (BUILTIN, ACME, CLOUD, MANUAL) and its product option', auth: 'apiKey', params: caParamsSchema, success: { status: 200, description: '{accounts}' } },
  { method: 'get', path: '/v1/certificateauthorities/{ca}/accounts/{accountId}', summary: 'One CA account (templates name it in certificateAuthorityAccountId)', auth: 'apiKey', params: caAccountParamsSchema, success: { status: 200, description: '{account, productOptions}' } },
  { method: 'get', path: '/v1/users/{id}', summary: 'The satellite\'s one user', auth: 'apiKey', params: idParamsSchema, success: { status: 200, description: 'the user' } },
  { method: 'get', path: '/v1/users/username/{name}', summary: 'Users by name', auth: 'apiKey', params: nameParamsSchema, success: { status: 200, description: '{users}' } },
  { method: 'get', path: '/v1/teams', summary: 'The satellite\'s one team', auth: 'apiKey', success: { status: 200, description: '{teams}' } },
  { method: 'get', path: '/v1/useraccounts', summary: 'Key check: 200 when the API key is right', auth: 'apiKey', success: { status: 200, description: '{user, company, apiKey}' } },
  { method: 'get', path: '/v1/automations', summary: 'Certificates kept renewed and installed by the scheduler', auth: 'apiKey', success: { status: 200, description: '{automations}' } },
  { method: 'post', path: '/v1/automations', summary: 'Keep a certificate renewed and installed (PEM files, PKCS#12, JKS, Windows store, macOS keychain) with after-install and validation actions; answers after the first install', auth: 'apiKey', body: rpcInputSchemas.saveAutomation, success: { status: 201, description: 'the automation, its last result and history' } },
  { method: 'get', path: '/v1/automations/{id}', summary: 'An automation, its next renewal, last result and history (actions\' exit codes and output)', auth: 'apiKey', params: idParamsSchema, success: { status: 200, description: 'the automation' } },
  { method: 'put', path: '/v1/automations/{id}', summary: 'Change an automation (passwords entered again)', auth: 'apiKey', params: idParamsSchema, body: rpcInputSchemas.saveAutomation, success: { status: 200, description: 'the automation' } },
  { method: 'delete', path: '/v1/automations/{id}', summary: 'Stop renewing and installing; the files in place stay', auth: 'apiKey', params: idParamsSchema, success: { status: 204, description: 'removed' } },
  { method: 'post', path: '/v1/automations/{id}/run', summary: 'Install now ({renew: true}: renew first), even while a retry waits', auth: 'apiKey', params: idParamsSchema, success: { status: 200, description: 'the automation' } },
  { method: 'post', path: '/v1/playbooks', summary: 'Import a VCert playbook ({yaml, fileName}): its certificateTasks issued, installed and kept renewed; an unknown key is refused, naming it', auth: 'apiKey', body: rpcInputSchemas.importPlaybook, success: { status: 201, description: '{automations, notes}' } },
  { method: 'get', path: '/v1/edgeinstances', summary: 'The satellite itself and the status of its key generation service', auth: 'apiKey', success: { status: 200, description: '{edgeInstances}' } },
];

const UI: Operation[] = [
  { method: 'get', path: '/ui/login', summary: 'The sign-in link printed at start: hands its one-time token to the web UI (in the URL fragment); does not spend it', auth: 'none', query: z.object({ token: z.string() }), success: { status: 303, description: 'redirect to the web UI\'s sign-in' } },
  { method: 'post', path: '/ui/session', summary: 'Sign in to the web UI: the one-time token or the API key for a session token (sent back in x-satellite-session)', auth: 'none', body: z.union([z.object({ token: z.string() }), z.object({ apiKey: z.string() })]), success: { status: 201, description: '{ sessionToken, endsAt, idleSeconds }' } },
  { method: 'post', path: '/ui/session/end', summary: 'Sign out of the web UI', auth: 'session', success: { status: 204, description: 'the session has ended' } },
  ...Object.entries(rpcInputSchemas).map(([method, schema]): Operation => ({ method: 'post', path: `/ui/rpc/${method}`, summary: `Web UI call ${method}`, auth: 'session', body: schema, success: { status: 200, description: 'the method\'s result' } })),
  { method: 'post', path: '/ui/download/certificate', summary: 'Certificate file for the web UI', auth: 'session', body: downloadCertificateInputSchema, success: { status: 200, description: 'certificate bytes', binary: true } },
  { method: 'post', path: '/ui/download/keystore', summary: 'Keystore file for the web UI', auth: 'session', body: downloadKeystoreInputSchema, success: { status: 200, description: 'keystore bytes', binary: true } },
  { method: 'post', path: '/ui/download/dek-backup', summary: 'Passphrase-wrapped DEK backup file for the web UI (recorded as the last backup)', auth: 'session', body: downloadDekBackupInputSchema, success: { status: 200, description: 'backup file bytes', binary: true } },
  { method: 'get', path: '/openapi.json', summary: 'This document', auth: 'none', success: { status: 200, description: 'OpenAPI 3.1' } },
];

export const OPERATIONS: readonly Operation[] = [...CLOUD, ...UI];

function parametersOf(op: Operation) {
  const of = (where: 'path' | 'query', schema: z.ZodObject | undefined) =>
    Object.entries(schema?.shape ?? {}).map(([name, field]) => ({
      name,
      in: where,
      required: where === 'path' || !(field as z.ZodType).safeParse(undefined).success,
      schema: json(field as z.ZodType, 'input'),
    }));
  return [...of('path', op.params), ...of('query', op.query)];
}

function operationObject(op: Operation, errorRef: object) {
  const errors = Object.fromEntries(
    ['400', '401', '403', '404', '409', '413', '415', '429'].map((s) => [s, { description: 'the cloud\'s error shape', content: { 'application/json': { schema: errorRef } } }]),
  );
  const success = op.success.json
    ? { content: { 'application/json': { schema: json(op.success.json, 'output') } } }
    : op.success.binary
      ? { content: { 'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } } }
      : {};
  return {
    summary: op.summary,
    security: op.auth === 'apiKey' ? [{ apiKey: [] }] : op.auth === 'session' ? [{ session: [] }] : [],
    parameters: parametersOf(op),
    ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: json(op.body, 'input') } } } } : {}),
    responses: { [String(op.success.status)]: { description: op.success.description, ...success }, ...errors },
  };
}

/** OpenAPI 3.1 for every route, generated from the same zod schemas the routes validate with. */
export function buildOpenApiDocument(version: string): Record<string, unknown> {
  const errorRef = { $ref: '#/components/schemas/CloudError' };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) (paths[op.path] ??= {})[op.method] = operationObject(op, errorRef);
  return {
    openapi: '3.1.0',
    info: { title: 'Keypair Satellite', version, description: 'The cloud\'s certificaterequests API, answered on loopback by the satellite; and the web UI\'s calls.' },
    servers: [{ url: '/' }],
    components: {
      schemas: { CloudError: json(cloudErrorSchema, 'output') },
      securitySchemes: {
        apiKey: { type: 'apiKey', in: 'header', name: 'tppl-api-key' },
        session: { type: 'apiKey', in: 'header', name: 'x-satellite-session' },
      },
    },
    paths,
  };
}
