import { describe, expect, it } from 'vitest';
import { inUserWords } from './user-words';

const DEVELOPER_WORDS = /\b(commonName|privateKeyPassphrase|csrAttributes\.|subjectCNRegexes|keyCompromise)\b|[0-9a-f]{8}-[0-9a-f]{4}-/;

describe('inUserWords', () => {
  it.each([
    ['commonName must not be empty', 'Common name must not be empty'],
    ['privateKeyPassphrase must be at least 12 characters', 'Key passphrase must be at least 12 characters'],
    ['csrAttributes.commonName "x.evil" does not match template "T" subjectCNRegexes (.*\\.venafi\\.example)', 'Common name "x.evil" does not match template "T" allowed common names (.*\\.venafi\\.example)'],
    ['revoked: keyCompromise', 'Revoked: key compromise'],
    ['validityPeriod P5000D is longer than template "Default" allows (P397D)', 'Validity P5000D is longer than template "Default" allows (P397D)'],
    ['certificate "3e191f90-4737-11ec-a491-150fc62378e9" was not found', 'Certificate was not found'],
  ])('%s', (api, person) => {
    expect(inUserWords(api)).toBe(person);
    expect(inUserWords(api)).not.toMatch(DEVELOPER_WORDS);
  });
});
