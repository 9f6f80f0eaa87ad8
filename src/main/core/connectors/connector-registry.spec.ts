import { describe, expect, it } from 'vitest';
import type { IssuingTemplate } from '../../../shared/settings';
import type { CaConnector } from '../ca/connector';
import { ConnectorRegistry } from './connector-registry';

const template = (id: string, modificationDate: string, name = id) => ({ id, name, certificateAuthority: 'BUILTIN', modificationDate }) as IssuingTemplate;

function registry(health: () => Promise<{ healthy: boolean; message: string }>) {
  const made: string[] = [];
  const connectors = new ConnectorRegistry({
    BUILTIN: (t) => {
      made.push(`${t.id}@${t.modificationDate}`);
      return { type: 'BUILTIN', issuesLocally: true, health } as unknown as CaConnector;
    },
    MANUAL: () => {
      throw new Error('not used');
    },
    ACME: () => {
      throw new Error('not used');
    },
    CLOUD: () => {
      throw new Error('not used');
    },
  });
  return { connectors, made };
}

describe('ConnectorRegistry', () => {
  it('makes one connector per template version: the same template reuses it, an edited one gets a new one', () => {
    const { connectors, made } = registry(async () => ({ healthy: true, message: 'ok' }));
    const first = connectors.forTemplate(template('t1', '2026-01-01'));
    expect(connectors.forTemplate(template('t1', '2026-01-01'))).toBe(first);
    const edited = connectors.forTemplate(template('t1', '2026-02-01'));
    expect(edited).not.toBe(first);
    expect(connectors.forTemplate(template('t1', '2026-02-01'))).toBe(edited);
    expect(made).toEqual(['t1@2026-01-01', 't1@2026-02-01']);
  });

  it('reports health per template, and a check that throws as unhealthy with its message', async () => {
    const { connectors } = registry(async () => {
      throw new Error('CA unreachable: connect ECONNREFUSED');
    });
    const [status] = await connectors.health([template('t2', '2026-01-01', 'Builtin')]);
    expect(status).toMatchObject({ certificateIssuingTemplateId: 't2', templateName: 'Builtin', certificateAuthority: 'BUILTIN', healthy: false, message: 'CA unreachable: connect ECONNREFUSED' });
  });
});
