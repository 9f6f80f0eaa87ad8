import { describe, expect, it } from 'vitest';
import type { Automation } from '../../shared';
import { draftOf, newAutomationDraft, suggestedName, toAutomationInput, validateAutomationDraft } from './automation-draft';

const id = '3f0c2a51-8d7e-4b7a-9a57-0c8b8a3b2f10';

describe('the "Renew and install automatically" form', () => {
  it('sends only what the chosen format uses, and an unencrypted PEM key only when chosen', () => {
    const d = newAutomationDraft(id, '*.example.com');
    expect(d.name).toBe('wildcard.example.com');
    Object.assign(d.installations[0]!, { file: ' /etc/a.crt ', chainFile: '/etc/c.pem', keyFile: '/etc/a.key', jksAlias: 'left over', afterInstallAction: 'systemctl reload nginx' });
    expect(toAutomationInput(d)).toEqual({
      certificateId: id,
      name: 'wildcard.example.com',
      installations: [{ format: 'PEM', file: '/etc/a.crt', chainFile: '/etc/c.pem', keyFile: '/etc/a.key', fullChainInFile: true, unencryptedKey: true, afterInstallAction: 'systemctl reload nginx' }],
    });
    d.installations[0]!.keyProtection = 'passphrase';
    expect(validateAutomationDraft(d).map((e) => e.field)).toEqual(['installations.0.keyPassword']);
    d.installations[0]!.format = 'JKS';
    expect(validateAutomationDraft(d).map((e) => e.field)).toEqual(['installations.0.jksPassword']);
  });

  it('starts with renewal off for a certificate this satellite cannot renew, and asks for passwords again on an edit', () => {
    expect(newAutomationDraft(id, 'imported.example.com', false).renewBefore).toBe('disabled');
    const stored = {
      id,
      certificateId: id,
      name: 'web',
      renewBefore: '30d',
      setEnvVars: [],
      installations: [{ format: 'PKCS12', file: '/opt/a.p12', keyPasswordSecretId: 'automation/x', actionTimeoutSeconds: 120 }],
      source: { kind: 'user' },
      failures: 0,
      creationDate: '',
      modificationDate: '',
    } as Automation;
    const draft = draftOf(stored);
    expect(draft).toMatchObject({ id, renewBefore: '30d', installations: [{ format: 'PKCS12', file: '/opt/a.p12', keyPassword: '' }] });
    expect(validateAutomationDraft(draft).map((e) => e.field)).toEqual(['installations.0.keyPassword']);
    expect(suggestedName('weird name/with:chars')).toBe('weird name-with-chars');
  });
});
