import { execFileSync } from 'node:child_process';

/** One extension as `openssl x509 -text` prints it: its name, whether critical, its value lines. */
export interface OpensslExtension {
  name: string;
  critical: boolean;
  values: string[];
}

/** The extensions block of `openssl x509 -in FILE -noout -text`, parsed. */
export function opensslExtensions(certificateFile: string): OpensslExtension[] {
  const text = execFileSync('openssl', ['x509', '-in', certificateFile, '-noout', '-text'], { encoding: 'utf8' });
  const block = text.split('X509v3 extensions:\n')[1]?.split(/\n\s{4}Signature Algorithm:/)[0] ?? '';
  const out: OpensslExtension[] = [];
  for (const line of block.split('\n')) {
    const header = /^ {12}(\S.*?):( critical)?\s*$/.exec(line);
    if (header) out.push({ name: header[1]!, critical: header[2] !== undefined, values: [] });
    else if (line.trim()) out.at(-1)?.values.push(line.trim());
  }
  return out;
}
