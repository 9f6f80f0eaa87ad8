export { SettingsStore, openSettingsStore, type ApplicationSave, type IssuingTemplateSave, type OpenSettingsOptions } from './settings-store';
export { SettingsError } from './settings-error';
export { SERVER_TYPES, BUILTIN_TEMPLATE_NAME, DEFAULT_APPLICATION_NAME, DEFAULT_TEMPLATE_ALIAS } from './seed';
