import { SecretInput } from './SecretInput';

/**
 * The satellite's API key, asked from a browser beside a save that makes the satellite run a
 * program or write files (a dns-01 hook, an installation, a playbook): a session is one tab's, the
 * key is the owner's. Sent with that one call, never kept; its refusal comes back on `tppl-api-key`.
 */
export function OwnerApiKeyInput({ label, description, value, onChange, error, testId }: { label: string; description: string; value: string; onChange: (value: string) => void; error?: string; testId: string }) {
  return <SecretInput label={label} withAsterisk description={description} value={value} onChange={(e) => onChange(e.currentTarget.value)} error={error} autoComplete="off" data-testid={testId} />;
}
