import { describe, expect, it } from 'vitest';
import type { IssuingTemplate } from '../../shared';
import { buildRequest, EMPTY_REQUEST_FORM, placeServerErrors, templateValidityDays, validateRequestForm, type RequestFormValues } from './request-form';

const APP = '785a6260-28f5-4aeb-804b-6769144073a1';
const TPL = '11a0c6e2-28f5-41eb-999a-4d91b3bd6de9';
const SRV = '784938d1-ef0d-41eb-9461-7bb533ba575b';

const template = {
  id: TPL,
  name: 'Default',
  validityPeriod: 'P90D',
  defaultValidityPeriod: 'P30D',
} as IssuingTemplate;

// The seed's ASK example, as a user would type it.
const seed: RequestFormValues = {
  ...EMPTY_REQUEST_FORM,
  applicationId: APP,
  certificateIssuingTemplateId: TPL,
  applicationServerTypeId: SRV,
  validityDays: 7,
  commonName: ' ask.venafi.example ',
  organization: 'Venafi, Inc.',
  organizationalUnits: [{ value: 'Quality Assurance' }, { value: '  ' }],
  locality: 'Salt Lake City',
  state: 'Utah',
  country: 'US',
  dnsNames: [{ value: '' }, { value: 'ask.venafi.example' }],
  keyType: 'RSA',
  keyLength: 4096,
};

describe('New request form -> certificaterequests body', () => {
  it('maps the seed example to the cloud body, dropping blank rows', () => {
    const { body } = buildRequest(seed);
    expect(body).toEqual({
      applicationId: APP,
      certificateIssuingTemplateId: TPL,
      applicationServerTypeId: SRV,
      validityPeriod: 'P7D',
      isVaaSGenerated: true,
      csrAttributes: {
        commonName: 'ask.venafi.example',
        organization: 'Venafi, Inc.',
        organizationalUnits: ['Quality Assurance'],
        locality: 'Salt Lake City',
        state: 'Utah',
        country: 'US',
        subjectAlternativeNamesByType: { dnsNames: ['ask.venafi.example'], ipAddresses: [], rfc822Names: [], uniformResourceIdentifiers: [] },
        keyTypeParameters: { keyType: 'RSA', keyLength: 4096 },
      },
    });
    expect(validateRequestForm(seed, template)).toEqual({ body, errors: [] });
  });

  it('sends an EC curve, no server type and the template default validity when left empty', () => {
    const { body } = buildRequest({ ...seed, applicationServerTypeId: '', validityDays: '', keyType: 'EC', keyCurve: 'P384' });
    expect(body.applicationServerTypeId).toBeUndefined();
    expect(body.validityPeriod).toBeUndefined();
    expect(body.csrAttributes?.keyTypeParameters).toEqual({ keyType: 'EC', keyCurve: 'P384' });
  });

  it('in CSR upload mode sends only the CSR', () => {
    const { body } = buildRequest({ ...seed, keyGeneration: 'CSR_UPLOAD', certificateSigningRequest: '\n-----BEGIN CERTIFICATE REQUEST-----\nMII\n-----END CERTIFICATE REQUEST-----\n' });
    expect(body.isVaaSGenerated).toBeUndefined();
    expect(body.csrAttributes).toBeUndefined();
    expect(body.certificateSigningRequest).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----\nMII\n-----END CERTIFICATE REQUEST-----$/);
  });

  it('puts the shared schema messages on the form fields', () => {
    const r = validateRequestForm({ ...EMPTY_REQUEST_FORM, validityDays: 100 }, template);
    expect(r.body).toBeNull();
    expect(r.errors).toEqual(
      expect.arrayContaining([
        { field: 'applicationId', message: 'Choose an application' },
        { field: 'certificateIssuingTemplateId', message: 'Choose a template' },
        // The message is the shared csrAttributesSchema's own, whatever its wording.
        { field: 'commonName', message: 'Common name must not be empty' },
        { field: 'validityDays', message: 'Validity is at most 90 days under template "Default"' },
      ]),
    );
    // One message per field: the friendlier one replaces the schema's "must be a UUID".
    expect(r.errors.filter((e) => e.field === 'applicationId')).toHaveLength(1);
  });

  it('asks for a CSR when uploading without one', () => {
    const r = validateRequestForm({ ...seed, keyGeneration: 'CSR_UPLOAD' }, template);
    expect(r.errors).toEqual([{ field: 'certificateSigningRequest', message: 'Paste a PEM CSR or choose a .csr file' }]);
  });

  it('places server field errors on the row the user typed, even after blank rows were dropped', () => {
    const placed = placeServerErrors(seed, [
      { field: 'csrAttributes.subjectAlternativeNamesByType.dnsNames.0', message: 'not allowed by the template' },
      { field: 'csrAttributes.organizationalUnits.0', message: 'OU not allowed' },
      { field: 'csrAttributes.keyTypeParameters.keyLength', message: 'keyLength not allowed' },
      { field: 'validityPeriod', message: 'too long' },
      { field: 'somethingElse', message: 'general' },
    ]);
    expect(placed).toEqual([
      { field: 'dnsNames.1.value', message: 'Not allowed by the template' },
      { field: 'organizationalUnits.0.value', message: 'OU not allowed' },
      { field: 'keyLength', message: 'keyLength not allowed' },
      { field: 'validityDays', message: 'Too long' },
      { field: null, message: 'General' },
    ]);
  });

  it('reads the template validity in days', () => {
    expect(templateValidityDays(template)).toEqual({ maxDays: 90, defaultDays: 30 });
    expect(templateValidityDays({ ...template, defaultValidityPeriod: undefined })).toEqual({ maxDays: 90, defaultDays: 90 });
  });
});
