import packageJson from '../../../package.json' with { type: 'json' };

/** The satellite's version, as the edgeinstances call reports it. */
export const SATELLITE_VERSION: string = packageJson.version;
