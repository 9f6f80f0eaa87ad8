import type { FastifyInstance } from 'fastify';
import { rpcInputSchemas } from '../../../shared/client';
import { ERROR_CODES } from '../../../shared/error-codes';
import type { ApiContext } from '../api-context';
import { toCloudDate } from '../cloud-dates';
import { apiError, parseOr400 } from '../cloud-error';
import { toApplicationResponse, toTemplateResponse } from '../cloud-shapes';
import { CERTIFICATE_AUTHORITIES } from '../../../shared/settings';
import { caAccount, caAccountId, caTypeNamed, SATELLITE_USERNAME, satelliteTeam, satelliteUser } from '../cloud-directory';
import { caAccountParamsSchema, caParamsSchema, idParamsSchema, nameParamsSchema, templateAliasParamsSchema } from './cloud-schemas';
import { cloudApplicationBodySchema, cloudTemplateBodySchema, CloudTemplateError, templateInputFromCloud, type CloudTemplateBody } from '../cloud-policy';
import type { ApiContext as Ctx } from '../api-context';
import type { IssuingTemplate } from '../../../shared/settings';

const caOf = (name: string) => {
  const type = caTypeNamed(name);
  if (!type) throw apiError(404, ERROR_CODES.NOT_FOUND, `ca: "${name.slice(0, 32)}" is not a certificate authority here; use ${CERTIFICATE_AUTHORITIES.join(', ')}`, { field: 'ca' });
  return type;
};

const applicationNotFound = (field: string, value: string) =>
  apiError(404, ERROR_CODES.APPLICATION_NOT_FOUND, `${field}: no application "${value.slice(0, 128)}"; GET /outagedetection/v1/applications lists them`, { field });

/** Saves a template from the cloud's body (set_policy): a new one, or `existing` changed. */
async function saveCloudTemplate(ctx: Ctx, body: CloudTemplateBody, existing?: IssuingTemplate): Promise<IssuingTemplate> {
  let input;
  try {
    input = templateInputFromCloud(body, existing);
  } catch (error) {
    if (error instanceof CloudTemplateError) throw apiError(400, ERROR_CODES.VALIDATION, error.message, { field: error.field });
    throw error;
  }
  return ctx.service.call('saveIssuingTemplate', parseOr400(rpcInputSchemas.saveIssuingTemplate, input));
}

/** The owners the cloud's clients send must be the satellite's one user or team. */
function checkOwners(owners: { ownerId: string }[] | null | undefined, identity: { userId: string }, teamId: string): void {
  for (const owner of owners ?? []) {
    if (owner.ownerId !== identity.userId && owner.ownerId !== teamId) {
      throw apiError(400, ERROR_CODES.VALIDATION, `ownerIdsAndTypes: owner "${owner.ownerId.slice(0, 64)}" is not this satellite's user (${identity.userId}) or team (${teamId}); GET /v1/teams and /v1/useraccounts name them`, { field: 'ownerIdsAndTypes' });
    }
  }
}

/** Applications, issuing templates, the key check and the satellite itself. */
export function cloudSettingsRoutes(ctx: ApiContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/outagedetection/v1/applications', async () => {
      const identity = await ctx.identity();
      const apps = await ctx.service.call('listApplications', {});
      return { applications: apps.map((a) => toApplicationResponse(a, identity)) };
    });

    // set_policy makes or links the application of a zone ("app\\alias").
    app.post('/outagedetection/v1/applications', async (request, reply) => {
      const body = parseOr400(cloudApplicationBodySchema, request.body ?? {});
      const identity = await ctx.identity();
      checkOwners(body.ownerIdsAndTypes, identity, satelliteTeam(identity).id);
      const saved = await ctx.service.call(
        'saveApplication',
        parseOr400(rpcInputSchemas.saveApplication, { name: body.name, description: body.description ?? '', certificateIssuingTemplateAliasIdMap: body.certificateIssuingTemplateAliasIdMap ?? {} }),
      );
      return reply.code(201).send({ applications: [toApplicationResponse(saved, identity)] });
    });

    app.put('/outagedetection/v1/applications/:id', async (request) => {
      const { id } = parseOr400(idParamsSchema, request.params);
      const body = parseOr400(cloudApplicationBodySchema, request.body ?? {});
      const identity = await ctx.identity();
      checkOwners(body.ownerIdsAndTypes, identity, satelliteTeam(identity).id);
      const existing = (await ctx.service.call('listApplications', {})).find((a) => a.id === id);
      if (!existing) throw applicationNotFound('id', id);
      const saved = await ctx.service.call(
        'saveApplication',
        parseOr400(rpcInputSchemas.saveApplication, {
          id,
          name: body.name,
          description: body.description ?? existing.description,
          certificateIssuingTemplateAliasIdMap: body.certificateIssuingTemplateAliasIdMap ?? existing.certificateIssuingTemplateAliasIdMap,
        }),
      );
      return toApplicationResponse(saved, identity);
    });

    app.get('/outagedetection/v1/applications/:id', async (request) => {
      const { id } = parseOr400(idParamsSchema, request.params);
      const found = (await ctx.service.call('listApplications', {})).find((a) => a.id === id);
      if (!found) throw applicationNotFound('id', id);
      return toApplicationResponse(found, await ctx.identity());
    });

    app.get('/outagedetection/v1/applications/name/:name', async (request) => {
      const { name } = parseOr400(nameParamsSchema, request.params);
      const found = await ctx.service.getApplicationByName(name);
      if (!found) throw applicationNotFound('name', name);
      return toApplicationResponse(found, await ctx.identity());
    });

    app.get('/outagedetection/v1/applications/:appName/certificateissuingtemplates/:alias', async (request) => {
      const { appName, alias } = parseOr400(templateAliasParamsSchema, request.params);
      const application = await ctx.service.getApplicationByName(appName);
      if (!application) throw applicationNotFound('appName', appName);
      const template = await ctx.service.getTemplateByAlias(appName, alias);
      if (!template) {
        const aliases = Object.keys(application.certificateIssuingTemplateAliasIdMap);
        throw apiError(404, ERROR_CODES.NOT_FOUND, `alias: application "${application.name}" has no template alias "${alias.slice(0, 128)}"; its aliases are: ${aliases.join(', ') || '(none)'}`, {
          field: 'alias',
        });
      }
      return toTemplateResponse(template, await ctx.identity());
    });

    app.get('/v1/certificateissuingtemplates', async () => {
      const identity = await ctx.identity();
      const templates = await ctx.service.call('listIssuingTemplates', {});
      return { certificateIssuingTemplates: templates.map((t) => toTemplateResponse(t, identity)) };
    });

    // set_policy (vcert, VCert): create answers 201 with the list shape, update 200 with the template itself.
    app.post('/v1/certificateissuingtemplates', async (request, reply) => {
      const body = parseOr400(cloudTemplateBodySchema, request.body ?? {});
      const saved = await saveCloudTemplate(ctx, body);
      return reply.code(201).send({ certificateIssuingTemplates: [toTemplateResponse(saved, await ctx.identity())] });
    });

    app.put('/v1/certificateissuingtemplates/:id', async (request) => {
      const { id } = parseOr400(idParamsSchema, request.params);
      const body = parseOr400(cloudTemplateBodySchema, request.body ?? {});
      const existing = (await ctx.service.call('listIssuingTemplates', {})).find((t) => t.id === id);
      if (!existing) throw apiError(404, ERROR_CODES.NOT_FOUND, `id: no issuing template "${id}"; GET /v1/certificateissuingtemplates lists them`, { field: 'id' });
      return toTemplateResponse(await saveCloudTemplate(ctx, body, existing), await ctx.identity());
    });

    // Server types under both the older and the newer path (the seed's applicationServerTypeId).
    for (const path of ['/v1/applicationservertypes', '/outagedetection/v1/applicationservertypes']) {
      app.get(path, async () => {
        const identity = await ctx.identity();
        const types = await ctx.service.call('listServerTypes', {});
        return { applicationServerTypes: types.map((t) => ({ ...t, companyId: identity.companyId, keyStoreType: t.keystoreType, applicationServerType: t.platformName.toUpperCase() })) };
      });
    }

    app.get('/v1/certificateauthorities/:ca/accounts', async (request) => {
      const { ca } = parseOr400(caParamsSchema, request.params);
      return { accounts: [caAccount(await ctx.identity(), caOf(ca))] };
    });

    app.get('/v1/certificateauthorities/:ca/accounts/:accountId', async (request) => {
      const { ca, accountId } = parseOr400(caAccountParamsSchema, request.params);
      const identity = await ctx.identity();
      const type = caOf(ca);
      // vcert asks for accounts/None when a template names no account: answer with the one there is.
      if (accountId !== 'None' && accountId !== caAccountId(identity, type)) {
        throw apiError(404, ERROR_CODES.NOT_FOUND, `accountId: ${type} has no account "${accountId.slice(0, 64)}"; GET /v1/certificateauthorities/${type}/accounts lists it`, { field: 'accountId' });
      }
      return caAccount(identity, type);
    });

    app.get('/v1/users/:id', async (request) => {
      const { id } = parseOr400(idParamsSchema, request.params);
      const identity = await ctx.identity();
      if (id !== identity.userId) throw apiError(404, ERROR_CODES.NOT_FOUND, `id: no user "${id}"; this satellite has one user, ${identity.userId}`, { field: 'id' });
      return satelliteUser(identity);
    });

    app.get('/v1/users/username/:name', async (request) => {
      const { name } = parseOr400(nameParamsSchema, request.params);
      const identity = await ctx.identity();
      return { users: name === SATELLITE_USERNAME ? [satelliteUser(identity)] : [] };
    });

    app.get('/v1/teams', async () => ({ teams: [satelliteTeam(await ctx.identity())] }));

    // Clients call this to check a key: reaching it means the key was right.
    app.get('/v1/useraccounts', async () => {
      const [identity, edge] = await Promise.all([ctx.identity(), ctx.service.edgeInstance()]);
      const since = toCloudDate(edge.encryptionKeyDeploymentDate);
      return {
        user: { id: identity.userId, username: SATELLITE_USERNAME, companyId: identity.companyId, userType: 'EXTERNAL', userAccountType: 'API', userStatus: 'ACTIVE', roles: ['PLATFORM_ADMIN'] },
        company: { id: identity.companyId, name: edge.name, companyType: 'TPP_CUSTOMER', active: true },
        apiKey: { username: SATELLITE_USERNAME, apiTypes: ['ALL'], apiVersion: 'ALL', apiKeyStatus: 'ACTIVE', ...(since ? { creationDate: since } : {}) },
      };
    });

    app.get('/v1/edgeinstances', async () => {
      const edge = await ctx.service.edgeInstance();
      return { edgeInstances: [{ ...edge, encryptionKeyDeploymentDate: toCloudDate(edge.encryptionKeyDeploymentDate) }] };
    });
  };
}
