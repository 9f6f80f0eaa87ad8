import { describe, expect, it } from 'vitest';
import { SatelliteError } from '../common/errors';
import { parsePlaybook } from './playbook';

const refusal = (yaml: string): { message: string; args: { field: string }[] } => {
  try {
    parsePlaybook(yaml);
  } catch (error) {
    expect(error).toBeInstanceOf(SatelliteError);
    return error as SatelliteError & { args: { field: string }[] };
  }
  throw new Error('the playbook was accepted');
};

describe('parsePlaybook: the vendor\'s playbook YAML', () => {
  it('maps a task to a request and installations in the satellite\'s words, noting what it skips', () => {
    const parsed = parsePlaybook(`
config:
  connection: { platform: tpp, url: https://tpp.example, credentials: { accessToken: x } }
certificateTasks:
  - name: legacy
    renewBefore: 15%
    setEnvVars: [Thumbprint]
    request:
      zone: "Apps\\\\Web"
      nickname: web
      validDays: "30#m"
      keyType: RSA
      keySize: 3072
      subject: { commonName: a.example.test, orgUnits: [One, Two], province: Utah }
      sanIP: [10.0.0.1]
    installations:
      - type: PEM
        location: /etc/ssl
        pemCertFilename: /etc/ssl/a.crt
        pemChainFilename: /etc/ssl/chain.crt
        pemKeyFilename: /etc/ssl/a.key
        afterInstallAction: systemctl reload nginx
`);
    expect(parsed.notes).toEqual([
      'config.connection is not needed: this satellite is the CA, so the tasks use its applications and templates (zone) and no credentials',
      "nickname is for the vendor's datacenter platform; the certificate is named by its common name",
    ]);
    expect(parsed.tasks).toEqual([
      {
        name: 'legacy',
        zone: 'Apps\\Web',
        renewBefore: '15%',
        setEnvVars: ['thumbprint'],
        validityPeriod: 'P30D',
        csrAttributes: {
          commonName: 'a.example.test',
          organizationalUnits: ['One', 'Two'],
          state: 'Utah',
          subjectAlternativeNamesByType: { dnsNames: [], ipAddresses: ['10.0.0.1'], rfc822Names: [], uniformResourceIdentifiers: [] },
          keyTypeParameters: { keyType: 'RSA', keyLength: 3072 },
        },
        installations: [
          { format: 'PEM', file: '/etc/ssl/a.crt', chainFile: '/etc/ssl/chain.crt', keyFile: '/etc/ssl/a.key', location: '/etc/ssl', afterInstallAction: 'systemctl reload nginx', unencryptedKey: true },
        ],
      },
    ]);
  });

  it('refuses unknown keys at every level, naming each one with its path', () => {
    const error = refusal(`
certificateTasks:
  - name: web
    renewbefore: 30d
    request: { zone: "A\\\\B", subject: { commonName: x.test, orgUnit: Ops } }
    installations: [{ format: PEM, file: /a, chainFile: /b, keyFile: /c, afterInstallActon: reload }]
colour: blue
`);
    expect(error.args.map((p) => p.field)).toEqual(['colour', 'certificateTasks[0].renewbefore', 'certificateTasks[0].request.subject.orgUnit', 'certificateTasks[0].installations[0].afterInstallActon']);
    expect(error.message).toContain('unknown key "afterInstallActon" at certificateTasks[0].installations[0].afterInstallActon: certificateTasks[0].installations[0] takes format, type, file');
  });

  it('says what is missing, duplicated or not done here', () => {
    const error = refusal(`
certificateTasks:
  - name: web
    request: { csr: service, subject: {} }
    installations: []
  - name: web
    request: { zone: "A\\\\B", subject: { commonName: y.test } }
    installations: [{ format: PEM, file: /a, chainFile: /b, keyFile: /c }]
`);
    expect(error.args.map((p) => p.field)).toEqual([
      'certificateTasks[0].request.zone',
      'certificateTasks[0].request.subject.commonName',
      'certificateTasks[0].request.csr',
      'certificateTasks[0].installations',
      'certificateTasks[1].name',
    ]);
    expect(error.message).toContain('csr is "service": this satellite always makes the key and CSR itself');
    expect(refusal('certificateTasks: [').message).toMatch(/^the playbook cannot be used: the playbook is not valid YAML: /);
    expect(refusal('just text').message).toContain('the playbook must be a YAML mapping');
  });
});
