import { describe, expect, it } from 'vitest';
import { issuingTemplateSchema, type IssuingTemplate } from '../../shared';
import { describeDuration, toDraft, toSaveInput, validateDraft, type TemplateDraft } from './template-draft';

const draft = (patch: Partial<TemplateDraft>): TemplateDraft => ({ ...toDraft(), name: 'T', ...patch });
const fields = (d: TemplateDraft) => Object.fromEntries(validateDraft(d).map((e) => [e.field, e.message]));

const acmeTemplate: IssuingTemplate = issuingTemplateSchema.parse({
  id: '0b8a4b62-52b6-4b0e-8d0c-2c8f1d1c7a01',
  name: 'ZeroSSL',
  certificateAuthority: 'ACME',
  caSettings: {
    type: 'ACME',
    directoryUrl: 'https://acme.zerossl.com/v2/DV90',
    termsOfServiceAgreed: true,
    eabKeyId: 'kid-1',
    eabHmacKeySecretId: 'acme-eab/1',
    challenge: { type: 'dns-01', hookCommand: '/usr/local/bin/dns-hook', propagationSeconds: 30 },
    tlsCaCertificatePem: 'PEM',
  },
  keyTypes: [{ keyType: 'EC', keyCurves: ['P256'] }],
  validityPeriod: 'P90D',
  subjectORegexes: ['Example'],
  creationDate: '2025-01-01T00:00:00Z',
  modificationDate: '2025-01-01T00:00:00Z',
});

describe('issuing template editor: what is saved', () => {
  it('a MANUAL template is an offline CA with the policy as typed', () => {
    const input = toSaveInput(draft({ certificateAuthority: 'MANUAL', validityPeriod: 'P30D', defaultValidityPeriod: 'P7D', subjectCNRegexes: '.*\\.example\\.com\n\n', rsa: [2048], ec: [] }));
    expect(input).toMatchObject({ certificateAuthority: 'MANUAL', caSettings: { type: 'MANUAL' }, validityPeriod: 'P30D', defaultValidityPeriod: 'P7D', subjectCNRegexes: ['.*\\.example\\.com'], keyTypes: [{ keyType: 'RSA', keyLengths: [2048] }] });
    expect(input).not.toHaveProperty('connectorSecrets');
    expect(validateDraft(draft({ certificateAuthority: 'MANUAL' }))).toEqual([]);
  });

  it('keeps a stored EAB key and the fields the editor does not show; sends a secret only when typed', () => {
    const d = toDraft(acmeTemplate);
    expect(d.eabHmacKeyStored).toBe(true);
    expect(d.eabHmacKey).toBe('');
    const kept = toSaveInput(d);
    expect(kept.caSettings).toMatchObject({ eabHmacKeySecretId: 'acme-eab/1', tlsCaCertificatePem: 'PEM', challenge: { type: 'dns-01', hookCommand: '/usr/local/bin/dns-hook', propagationSeconds: 30 } });
    expect(kept).toMatchObject({ id: acmeTemplate.id, subjectORegexes: ['Example'] });
    expect(kept).not.toHaveProperty('connectorSecrets');
    expect(kept).not.toHaveProperty('creationDate');
    expect(toSaveInput({ ...d, eabHmacKey: 'new-hmac' }).connectorSecrets).toEqual({ eabHmacKey: 'new-hmac' });
    expect(validateDraft(d)).toEqual([]);
  });

  it('an ACME http-01 template with its responder address and port', () => {
    const input = toSaveInput(draft({ certificateAuthority: 'ACME', directoryUrl: 'https://acme-staging-v02.api.letsencrypt.org/directory', termsOfServiceAgreed: true, listenAddress: '127.0.0.1', port: '5002' }));
    expect(input.caSettings).toEqual({ type: 'ACME', directoryUrl: 'https://acme-staging-v02.api.letsencrypt.org/directory', termsOfServiceAgreed: true, challenge: { type: 'http-01', mode: 'standalone', listenAddress: '127.0.0.1', port: 5002 } });
  });

  it('a CLOUD template sends the API key as a connector secret', () => {
    const d = draft({ certificateAuthority: 'CLOUD', remoteApplicationId: '0b8a4b62-52b6-4b0e-8d0c-2c8f1d1c7a02', remoteCertificateIssuingTemplateId: '0b8a4b62-52b6-4b0e-8d0c-2c8f1d1c7a03', apiKey: 'k' });
    expect(toSaveInput(d).connectorSecrets).toEqual({ apiKey: 'k' });
    expect(validateDraft(d)).toEqual([]);
  });
});

describe('issuing template editor: messages on their fields', () => {
  it('uses the shared schema’s words for the CA settings and the policy', () => {
    const f = fields(draft({ name: ' ', certificateAuthority: 'ACME', directoryUrl: 'letsencrypt', rsa: [], ec: [], validityPeriod: '90 days', subjectCNRegexes: '(' }));
    expect(f['name']).toBe('name is required');
    expect(f['caSettings.directoryUrl']).toBe('directoryUrl must be an absolute URL');
    expect(f['keyTypes']).toBe('at least one key type must be allowed');
    expect(f['validityPeriod']).toBe('must be an ISO 8601 duration such as P7D, P90D or PT12H');
    expect(f['subjectCNRegexes.0']).toBe('is not a valid regular expression');
  });

  it('names the challenge fields, the secrets and the satellite’s own rules', () => {
    expect(fields(draft({ certificateAuthority: 'ACME', directoryUrl: 'https://x.example/dir', port: 'eighty' }))['caSettings.challenge.port']).toBe('port must be a whole number from 1 to 65535');
    expect(fields(draft({ certificateAuthority: 'ACME', directoryUrl: 'https://x.example/dir', challengeType: 'dns-01' }))['caSettings.challenge.hookCommand']).toBe('hookCommand is required for dns-01');
    expect(fields(draft({ certificateAuthority: 'ACME', directoryUrl: 'https://x.example/dir', eabKeyId: 'kid' }))['connectorSecrets.eabHmacKey']).toMatch(/EAB HMAC key is required/);
    const cloud = fields(draft({ certificateAuthority: 'CLOUD', remoteApplicationId: 'nope', remoteCertificateIssuingTemplateId: '' }));
    expect(cloud['caSettings.remoteApplicationId']).toBe('remote application id "nope" is not a UUID: copy it from the cloud service, e.g. 3fa85f64-5717-4562-b3fc-2c963f66afa6');
    expect(cloud['caSettings.remoteCertificateIssuingTemplateId']).toBe('remote issuing template id is required: copy it from the cloud service');
    expect(cloud['connectorSecrets.apiKey']).toMatch(/API key is required/);
    expect(fields(draft({ validityPeriod: 'P30D', defaultValidityPeriod: 'P90D' }))['defaultValidityPeriod']).toBe('the default validity P90D is longer than the maximum P30D');
    expect(fields(draft({ keyGeneratedByVenafiAllowed: false, csrUploadAllowed: false }))['csrUploadAllowed']).toMatch(/or both/);
  });
});

describe('durations for people', () => {
  it.each([
    ['P90D', '90 days'],
    ['P1D', '1 day'],
    ['P1Y', '365 days'],
    ['PT12H', '12 hours'],
    ['90', undefined],
  ])('%s', (iso, words) => expect(describeDuration(iso)).toBe(words));
});
