import { describe, expect, it } from 'vitest';
import type { CertificateRequestRecord } from '../../shared';
import type { CsrAttributes } from '../../shared';
import { csrFileName, requestActions, requestCommonName, statusesOf } from './request-list';

/** Only the common name matters here. */
const attrs = (commonName: string) => ({ commonName }) as CsrAttributes;

const base: CertificateRequestRecord = {
  id: '4d7f4a39-5a59-4d2c-9e0e-9a0b7a3c1f10',
  applicationId: 'a',
  certificateIssuingTemplateId: 't',
  validityPeriod: 'P7D',
  keyGeneration: 'SATELLITE',
  status: 'PENDING',
  certificateIds: [],
  tags: [],
  creationDate: '2025-01-01T00:00:00Z',
  modificationDate: '2025-01-01T00:00:00Z',
  statusHistory: [],
  certificateSigningRequest: '-----BEGIN CERTIFICATE REQUEST-----\nAA==\n-----END CERTIFICATE REQUEST-----\n',
  csrAttributes: attrs('*.example.com'),
};

describe('Requests page: status filters', () => {
  it('groups the in-progress statuses and leaves "all" unfiltered', () => {
    expect(statusesOf('all')).toBeUndefined();
    expect(statusesOf('in-progress')).toEqual(expect.arrayContaining(['NEW', 'REQUESTED', 'PENDING']));
    expect(statusesOf('failed')).toEqual(['FAILED']);
    expect(statusesOf('issued')).toEqual(['ISSUED']);
  });
});

describe('Requests page: row actions', () => {
  it('offers the CSR and the import for a request waiting on an offline CA', () => {
    expect(requestActions(base, 'MANUAL')).toEqual(['download-csr', 'import-certificate']);
    // The template is gone: the MANUAL connector's poll token still tells.
    expect(requestActions({ ...base, caPollToken: `manual:${base.id}` }, undefined)).toEqual(['download-csr', 'import-certificate']);
  });

  it('offers nothing for a request pending at an online CA, which the satellite polls itself', () => {
    expect(requestActions(base, 'ACME')).toEqual([]);
  });

  it('offers a retry for FAILED and the certificate for ISSUED and REVOKED', () => {
    expect(requestActions({ ...base, status: 'FAILED' }, 'BUILTIN')).toEqual(['retry']);
    expect(requestActions({ ...base, status: 'ISSUED', certificateIds: ['c'] }, 'BUILTIN')).toEqual(['open-certificate']);
    expect(requestActions({ ...base, status: 'REVOKED', certificateIds: ['c'] }, 'BUILTIN')).toEqual(['open-certificate']);
    expect(requestActions({ ...base, status: 'REJECTED' }, 'BUILTIN')).toEqual([]);
  });
});

describe('Requests page: names', () => {
  it('takes the CN from the attributes, else from the subject DN', () => {
    expect(requestCommonName(base)).toBe('*.example.com');
    expect(requestCommonName({ ...base, csrAttributes: undefined, subjectDN: 'cn=upload.example.com,o=Example' })).toBe('upload.example.com');
    expect(requestCommonName({ ...base, csrAttributes: undefined })).toBe('(no common name)');
  });

  it('makes a file name with no path or wildcard characters', () => {
    expect(csrFileName(base)).toBe('_.example.com.csr');
    expect(csrFileName({ ...base, csrAttributes: attrs('../etc/passwd') })).toBe('__etc_passwd.csr');
    expect(csrFileName({ ...base, csrAttributes: undefined })).toBe(`${base.id}.csr`);
  });
});
