import { Button, Card, Center, Stack, Text, Title } from '@mantine/core';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { SatelliteError } from '../../client/satellite-error';
import type { WebSession } from '../../client/web-session';
import { ErrorAlert } from '../../components/ErrorAlert';
import { SecretInput } from '../../components/SecretInput';
import { ShieldIcon } from '../../components/icons';

/** The one-time token the printed sign-in link carries (GET /ui/login redirects to #/signin?token=...). */
export function signInTokenOf(hash: string): string | undefined {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?');
  if (path.replace(/\/+$/, '') !== '/signin') return undefined;
  return new URLSearchParams(query).get('token') ?? undefined;
}

/** Drops the token from the address bar and history, and opens the certificates page. */
function forgetSignInLink(): void {
  window.history.replaceState(null, '', `${window.location.pathname}#/certificates`);
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

/** Shown in the browser until this tab has a session: the printed link signs in by itself, or the API key does. */
export function SignInPage({ session }: { session: WebSession }) {
  const [linkToken] = useState(() => signInTokenOf(window.location.hash));
  const [busy, setBusy] = useState(linkToken !== undefined);
  const [error, setError] = useState<SatelliteError>();
  const [apiKey, setApiKey] = useState('');
  const tried = useRef(false);

  useEffect(() => {
    if (linkToken === undefined || tried.current) return;
    tried.current = true;
    session.signIn({ token: linkToken }).then(forgetSignInLink, (e: SatelliteError) => {
      // The spent or wrong token is no use in the address bar either.
      window.history.replaceState(null, '', `${window.location.pathname}#/signin`);
      setError(e);
      setBusy(false);
    });
  }, [linkToken, session]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await session.signIn({ apiKey });
      forgetSignInLink();
    } catch (e) {
      setError(e as SatelliteError);
      setBusy(false);
    }
  };

  return (
    <Center mih="100vh" p="md">
      <Card w={440} maw="100%" withBorder>
        <main>
          <Stack gap="sm">
            <ShieldIcon />
            <Title order={1} size="h3">
              Sign in to Keypair Satellite
            </Title>
            {busy && linkToken !== undefined && !error ? (
              <Text size="sm" role="status">
                Signing in with the link the satellite printed…
              </Text>
            ) : (
              <>
                <Text size="sm" c="dimmed">
                  Open the one-time sign-in link the satellite printed when it started, or sign in with its API key (the file given to --api-key-file, or the
                  desktop app's Settings).
                </Text>
                {error && <ErrorAlert title="Not signed in" error={error} />}
                <form onSubmit={submit}>
                  <Stack gap="sm">
                    <SecretInput label="API key" value={apiKey} onChange={(e) => setApiKey(e.currentTarget.value)} required autoComplete="off" data-testid="signin-api-key" />
                    <Button type="submit" loading={busy} disabled={apiKey.trim() === ''} data-testid="signin-submit">
                      Sign in
                    </Button>
                  </Stack>
                </form>
                <Text size="xs" c="dimmed">
                  The session belongs to this browser tab only. It ends when you sign out, close the tab, or leave it unused for 30 minutes.
                </Text>
              </>
            )}
          </Stack>
        </main>
      </Card>
    </Center>
  );
}
