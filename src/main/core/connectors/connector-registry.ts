import type { CaConnectorStatus } from '../../../shared/services-status';
import type { IssuingTemplate } from '../../../shared/settings';
import type { CaConnector } from '../ca/connector';

export type ConnectorFactory = (template: IssuingTemplate) => CaConnector;

/**
 * The CA connector an issuing template names. Connectors are made once per template version,
 * so editing a template's CA settings takes effect on the next request.
 */
export class ConnectorRegistry {
  /** One connector per template id, made for the version of the template it was made from. */
  private readonly cache = new Map<string, { version: string; connector: CaConnector }>();

  constructor(private readonly factories: Record<IssuingTemplate['certificateAuthority'], ConnectorFactory>) {}

  forTemplate(template: IssuingTemplate): CaConnector {
    const cached = this.cache.get(template.id);
    if (cached && cached.version === template.modificationDate) return cached.connector;
    // A changed template replaces its connector: the old one is not kept for ever.
    const connector = this.factories[template.certificateAuthority](template);
    this.cache.set(template.id, { version: template.modificationDate, connector });
    return connector;
  }

  /** Health of every template's connector, for Settings > Services; a failing check never throws. */
  async health(templates: IssuingTemplate[]): Promise<CaConnectorStatus[]> {
    return Promise.all(
      templates.map(async (template) => {
        let healthy = false;
        let message: string;
        try {
          ({ healthy, message } = await this.forTemplate(template).health());
        } catch (error) {
          message = (error as Error).message;
        }
        return {
          certificateIssuingTemplateId: template.id,
          templateName: template.name,
          certificateAuthority: template.certificateAuthority,
          healthy,
          message,
          checkedAt: new Date().toISOString(),
        };
      }),
    );
  }
}
