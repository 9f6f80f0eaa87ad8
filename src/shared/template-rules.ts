import { durationSeconds, isoDurationSchema } from './durations';
import type { FieldError } from './field-errors';
import type { IssuingTemplateInput } from './settings';

// The rules an issuing template must meet that no single field's schema can say: checked by the
// settings store before it saves and by the template editor before it sends, with one wording.

type TemplateFields = Pick<IssuingTemplateInput, 'certificateAuthority' | 'validityPeriod' | 'defaultValidityPeriod' | 'keyGeneratedByVenafiAllowed' | 'csrUploadAllowed'> & {
  caSettings: { type: string };
};

/** Compared only when both are durations: a malformed one already has its own error. */
const isDuration = (v: string | undefined): v is string => isoDurationSchema.safeParse(v).success;

/** Every cross-field rule the template breaks; empty when it meets them all. */
export function templateRuleErrors(t: TemplateFields): FieldError[] {
  const errors: FieldError[] = [];
  if (t.caSettings.type !== t.certificateAuthority) {
    errors.push({
      field: 'caSettings.type',
      message: `caSettings.type is ${t.caSettings.type} but certificateAuthority is ${t.certificateAuthority}; they must name the same CA`,
      value: t.caSettings.type,
    });
  }
  if (isDuration(t.defaultValidityPeriod) && isDuration(t.validityPeriod) && durationSeconds(t.defaultValidityPeriod) > durationSeconds(t.validityPeriod)) {
    errors.push({
      field: 'defaultValidityPeriod',
      message: `the default validity ${t.defaultValidityPeriod} is longer than the maximum ${t.validityPeriod}`,
      value: t.defaultValidityPeriod,
    });
  }
  if (t.keyGeneratedByVenafiAllowed === false && t.csrUploadAllowed === false) {
    errors.push({ field: 'csrUploadAllowed', message: 'allow key generation by the satellite, CSR upload, or both; with neither no request can succeed', value: false });
  }
  return errors;
}
