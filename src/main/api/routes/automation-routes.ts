import type { FastifyInstance } from 'fastify';
import { rpcInputSchemas } from '../../../shared/client';
import type { ApiContext } from '../api-context';
import { parseOr400 } from '../cloud-error';
import { idParamsSchema } from './cloud-schemas';

/**
 * Certificates kept renewed and installed, for scripts (tenant-api-key): thin routes over the same
 * calls as the UI. The API key is the owner's, so saving an action that runs a program is allowed.
 */
export function automationRoutes(ctx: ApiContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/v1/automations', async () => ({ automations: await ctx.service.call('listAutomations', {}) }));

    app.post('/v1/automations', async (request, reply) => {
      const input = parseOr400(rpcInputSchemas.saveAutomation, { ...(request.body as object), id: undefined });
      return reply.code(201).send(await ctx.service.call('saveAutomation', input));
    });

    app.get('/v1/automations/:id', async (request) => {
      const { id } = parseOr400(idParamsSchema, request.params);
      return ctx.service.call('getAutomation', { id });
    });

    app.put('/v1/automations/:id', async (request) => {
      const { id } = parseOr400(idParamsSchema, request.params);
      return ctx.service.call('saveAutomation', parseOr400(rpcInputSchemas.saveAutomation, { ...(request.body as object), id }));
    });

    app.delete('/v1/automations/:id', async (request, reply) => {
      const { id } = parseOr400(idParamsSchema, request.params);
      await ctx.service.call('deleteAutomation', { id });
      return reply.code(204).send();
    });

    app.post('/v1/automations/:id/run', async (request) => {
      const { id } = parseOr400(idParamsSchema, request.params);
      return ctx.service.call('runAutomation', parseOr400(rpcInputSchemas.runAutomation, { ...((request.body as object | undefined) ?? {}), id }));
    });

    app.post('/v1/playbooks', async (request, reply) => {
      const input = parseOr400(rpcInputSchemas.importPlaybook, request.body ?? {});
      return reply.code(201).send(await ctx.service.call('importPlaybook', input));
    });
  };
}
