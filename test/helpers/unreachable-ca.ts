import { rpcInputSchemas } from '../../src/shared/client';
import type { IssuingTemplate } from '../../src/shared/settings';
import type { SatelliteService } from '../../src/main/core/service';

/**
 * Adds an ACME template whose directory is a loopback port nothing listens on (every order fails
 * with a retryable "could not reach" CA error), under the alias "acme" of the first application.
 */
export async function addUnreachableAcmeTemplate(satellite: Pick<SatelliteService, 'call'>): Promise<{ template: IssuingTemplate; applicationId: string }> {
  const template = await satellite.call(
    'saveIssuingTemplate',
    rpcInputSchemas.saveIssuingTemplate.parse({
      name: 'Unreachable ACME',
      certificateAuthority: 'ACME',
      caSettings: { type: 'ACME', directoryUrl: 'https://127.0.0.1:9/directory', termsOfServiceAgreed: true, challenge: { type: 'http-01', port: 5002, listenAddress: '127.0.0.1' } },
      keyTypes: [{ keyType: 'EC', keyCurves: ['P256'] }],
      validityPeriod: 'P90D',
    }),
  );
  const [application] = await satellite.call('listApplications', {});
  await satellite.call('saveApplication', rpcInputSchemas.saveApplication.parse({ ...application, certificateIssuingTemplateAliasIdMap: { ...application!.certificateIssuingTemplateAliasIdMap, acme: template.id } }));
  return { template, applicationId: application!.id };
}

/** The same template, now naming the built-in CA: what an administrator does once they notice. */
export async function pointAtBuiltinCa(satellite: Pick<SatelliteService, 'call'>, template: IssuingTemplate): Promise<void> {
  await satellite.call('saveIssuingTemplate', rpcInputSchemas.saveIssuingTemplate.parse({ ...template, certificateAuthority: 'BUILTIN', caSettings: { type: 'BUILTIN' } }));
}
