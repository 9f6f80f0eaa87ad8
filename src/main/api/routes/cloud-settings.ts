import type { FastifyInstance } from 'fastify';
import { ERROR_CODES } from '../../../shared/error-codes';
import type { ApiContext } from '../api-context';
import { toCloudDate } from '../cloud-dates';
import { apiError, parseOr400 } from '../cloud-error';
import { toApplicationResponse, toTemplateResponse } from '../cloud-shapes';
import { idParamsSchema, nameParamsSchema, templateAliasParamsSchema } from './cloud-schemas';

const applicationNotFound = (field: string, value: string) =>
  apiError(404, ERROR_CODES.APPLICATION_NOT_FOUND, `${field}: no application "${value.slice(0, 128)}"; GET /outagedetection/v1/applications lists them`, { field });

/** Applications, issuing templates, the key check and the satellite itself. */
export function cloudSettingsRoutes(ctx: ApiContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/outagedetection/v1/applications', async () => {
      const identity = await ctx.identity();
      const apps = await ctx.service.call('listApplications', {});
      return { applications: apps.map((a) => toApplicationResponse(a, identity)) };
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

    // The older API's server types (the seed's applicationServerTypeId).
    app.get('/v1/applicationservertypes', async () => ({ applicationServerTypes: await ctx.service.call('listServerTypes', {}) }));

    // Clients call this to check a key: reaching it means the key was right.
    app.get('/v1/useraccounts', async () => {
      const [identity, edge] = await Promise.all([ctx.identity(), ctx.service.edgeInstance()]);
      const since = toCloudDate(edge.encryptionKeyDeploymentDate);
      return {
        user: { id: identity.userId, username: 'satellite', companyId: identity.companyId, userType: 'EXTERNAL', userAccountType: 'API', userStatus: 'ACTIVE', roles: ['PLATFORM_ADMIN'] },
        company: { id: identity.companyId, name: edge.name, companyType: 'TPP_CUSTOMER', active: true },
        apiKey: { username: 'satellite', apiTypes: ['ALL'], apiVersion: 'ALL', apiKeyStatus: 'ACTIVE', ...(since ? { creationDate: since } : {}) },
      };
    });

    app.get('/v1/edgeinstances', async () => {
      const edge = await ctx.service.edgeInstance();
      return { edgeInstances: [{ ...edge, encryptionKeyDeploymentDate: toCloudDate(edge.encryptionKeyDeploymentDate) }] };
    });
  };
}
