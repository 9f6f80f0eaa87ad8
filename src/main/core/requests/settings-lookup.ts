import type { Application, ApplicationServerType, IssuingTemplate } from '../../../shared/settings';

/** The part of the settings the pipeline reads. */
export interface SettingsLookup {
  getApplication(id: string): Application | undefined;
  getTemplate(id: string): IssuingTemplate | undefined;
  getServerType(id: string): ApplicationServerType | undefined;
}
