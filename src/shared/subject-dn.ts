/** The subject fields of csrAttributes (or of a parsed CSR or certificate). */
export interface SubjectFields {
  commonName?: string;
  organization?: string;
  organizationalUnits?: readonly string[];
  locality?: string;
  state?: string;
  country?: string;
}

/**
 * The subject as the cloud shows it in `subjectDN`:
 * "cn=ask.venafi.example,ou=Quality Assurance,o=Venafi, Inc.,c=US,st=Utah,l=Salt Lake City".
 * The cloud neither escapes nor quotes values, so this is for display and search, not for
 * parsing back (use the structured fields for that).
 */
export function formatSubjectDN(subject: SubjectFields): string {
  const parts: string[] = [];
  const add = (key: string, value: string | undefined) => {
    if (value !== undefined && value !== '') parts.push(`${key}=${value}`);
  };
  add('cn', subject.commonName);
  for (const ou of subject.organizationalUnits ?? []) add('ou', ou);
  add('o', subject.organization);
  add('c', subject.country);
  add('st', subject.state);
  add('l', subject.locality);
  return parts.join(',');
}
