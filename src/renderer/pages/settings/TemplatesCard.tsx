import { Text } from '@mantine/core';
import { useState } from 'react';
import { CA_LABELS, type IssuingTemplate } from '../../../shared';
import { toDraft, type TemplateDraft } from '../../lib/template-draft';
import { SettingsTableCard } from './SettingsTableCard';
import { TemplateEditor } from './TemplateEditor';



export function TemplatesCard({ templates, onChanged }: { templates: IssuingTemplate[]; onChanged: () => void }) {
  const [editing, setEditing] = useState<TemplateDraft | null>(null);
  return (
    <SettingsTableCard
      title="Issuing templates"
      noun="template"
      testId="templates-card"
      newTestId="new-template"
      emptyText="No template yet. A template names the CA and the policy (key types, validity, allowed names) for requests."
      items={templates}
      columns={[
        { header: 'Name', cell: (t) => <Text span size="sm" fw={500}>{t.name}</Text> },
        { header: 'CA', cell: (t) => CA_LABELS[t.certificateAuthority].short },
        { header: 'Keys', cell: (t) => t.keyTypes.map((k) => (k.keyType === 'RSA' ? `RSA ${k.keyLengths.join('/')}` : `EC ${k.keyCurves.join('/')}`)).join(', ') },
        { header: 'Validity', cell: (t) => t.validityPeriod },
      ]}
      onNew={() => setEditing(toDraft())}
      onEdit={(t) => setEditing(toDraft(t))}
      rowProps={(t) => ({ 'data-testid': 'template-row', 'data-name': t.name })}
    >
      {editing && (
        <TemplateEditor
          draft={editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            onChanged();
          }}
        />
      )}
    </SettingsTableCard>
  );
}
