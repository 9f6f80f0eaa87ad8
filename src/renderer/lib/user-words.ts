// The satellite speaks the cloud API's words (field paths, enum values, ids) because scripts read
// them. A person reads the form's words: this is the one place that turns the first into the second.
// The original message stays available under "Details".

/** Longest first, so `csrAttributes.commonName` wins over `commonName`. */
const FIELD_WORDS: [string, string][] = [
  ['csrAttributes.subjectAlternativeNamesByType.dnsNames', 'DNS names'],
  ['csrAttributes.subjectAlternativeNamesByType.ipAddresses', 'IP addresses'],
  ['csrAttributes.subjectAlternativeNamesByType.rfc822Names', 'Email addresses'],
  ['csrAttributes.subjectAlternativeNamesByType.uniformResourceIdentifiers', 'URIs'],
  ['csrAttributes.keyTypeParameters', 'Key type'],
  ['subjectAlternativeNamesByType', 'Subject alternative names'],
  ['organizationalUnits', 'Organizational units'],
  ['organizationalUnit', 'Organizational unit'],
  ['privateKeyPassphrase', 'Key passphrase'],
  ['keystorePassphrase', 'Keystore passphrase'],
  ['certificateLabel', 'Label'],
  ['subjectCNRegexes', 'allowed common names'],
  ['subjectORegexes', 'allowed organizations'],
  ['subjectOURegexes', 'allowed organizational units'],
  ['subjectLRegexes', 'allowed localities'],
  ['subjectSTRegexes', 'allowed states'],
  ['subjectCValues', 'allowed countries'],
  ['sanIpAddressRegexes', 'allowed IP addresses'],
  ['sanRfc822NameRegexes', 'allowed email addresses'],
  ['sanUniformResourceIdentifierRegexes', 'allowed URIs'],
  ['sanRegexes', 'allowed DNS names'],
  ['validityPeriod', 'Validity'],
  ['certificateIssuingTemplateId', 'Template'],
  ['applicationServerTypeId', 'Server type'],
  ['applicationId', 'Application'],
  ['commonName', 'Common name'],
  ['keyCompromise', 'Key compromise'],
  ['cessationOfOperation', 'Cessation of operation'],
  ['affiliationChanged', 'Affiliation changed'],
  ['certificateHold', 'Certificate hold'],
];

const UUID = /"?\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b"?/gi;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const FIELD_PATTERN = new RegExp(`\\b(?:${FIELD_WORDS.map(([k]) => escape(k)).join('|')})\\b`, 'g');
const WORDS = new Map(FIELD_WORDS);

/**
 * The message with field paths, enum values and ids in the form's words. ISO durations stay: the
 * template editor asks for them (P90D), so a message about one must name it as typed.
 */
export function inUserWords(message: string): string {
  let text = message.replace(FIELD_PATTERN, (word, offset: number) => {
    const words = WORDS.get(word) ?? word;
    // Mid-sentence, a field's label is lower-cased ("the Common name" reads oddly).
    return offset === 0 ? words : words.charAt(0).toLowerCase() + words.slice(1);
  });
  // Ids mean nothing to a person; the name beside them (when there is one) stays.
  text = text.replace(UUID, '').replace(/ {2,}/g, ' ').replace(/ ([,;.)])/g, '$1');
  // A message that began with a field path ("csrAttributes.country ...") starts with its label.
  text = text.replace(/^csrAttributes\./, '');
  // A sentence starts with a capital, but an identifier the table does not know stays as the API spelled it.
  const firstWord = /^\S*/.exec(text)![0];
  return /[A-Z]/.test(firstWord.slice(1)) ? text : text.charAt(0).toUpperCase() + text.slice(1);
}

/** True when the person sees other words than the API sent (then "Details" shows the original). */
export function differsForUser(message: string): boolean {
  return inUserWords(message) !== message;
}
