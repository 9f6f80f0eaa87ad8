import { AppShell, Button, Group, NavLink, ScrollArea, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { CertificateIcon, InboxIcon, PlusIcon, ServerIcon, SettingsIcon, ShieldIcon } from '../components/icons';
import { CertificateDetailPage } from '../pages/detail/CertificateDetailPage';
import { CertificatesPage } from '../pages/certificates/CertificatesPage';
import { NewRequestPage } from '../pages/request/NewRequestPage';
import { RequestsPage } from '../pages/requests/RequestsPage';
import { ServicesPage } from '../pages/services/ServicesPage';
import { SettingsPage } from '../pages/settings/SettingsPage';
import { SignInPage } from '../pages/signin/SignInPage';
import { hrefOf, type Route } from './routes';
import { ServiceDot } from './ServiceDot';
import { ServicesStatusProvider } from './ServicesStatusContext';
import { useRoute } from './useRoute';
import { useSignedIn, useWebSession } from './WebSessionContext';

const NAV: { page: Exclude<Route['page'], 'certificate'>; label: string; icon: ReactNode; testId: string }[] = [
  { page: 'certificates', label: 'Certificates', icon: <CertificateIcon />, testId: 'nav-certificates' },
  { page: 'requests', label: 'Requests', icon: <InboxIcon />, testId: 'nav-requests' },
  { page: 'request', label: 'New request', icon: <PlusIcon />, testId: 'nav-request' },
  { page: 'services', label: 'Services', icon: <ServerIcon />, testId: 'nav-services' },
  { page: 'settings', label: 'Settings', icon: <SettingsIcon />, testId: 'nav-settings' },
];

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'certificates':
      return <CertificatesPage renewalDue={route.renewalDue === true} />;
    case 'certificate':
      return <CertificateDetailPage key={route.id} id={route.id} />;
    case 'requests':
      return <RequestsPage />;
    case 'request':
      return <NewRequestPage />;
    case 'services':
      return <ServicesPage />;
    case 'settings':
      return <SettingsPage />;
  }
}

export function App() {
  const session = useWebSession();
  const signedIn = useSignedIn();
  const route = useRoute();
  if (session && !signedIn) return <SignInPage session={session} />;
  const section = route.page === 'certificate' ? 'certificates' : route.page;
  return (
    <ServicesStatusProvider>
      <AppShell header={{ height: 48 }} navbar={{ width: 208, breakpoint: 0 }} padding="lg">
        <AppShell.Header>
          <Group h="100%" px="md" justify="space-between" wrap="nowrap">
            <Group gap={8} wrap="nowrap">
              <ShieldIcon />
              <Text fw={600} size="md">
                Keypair Satellite
              </Text>
            </Group>
            <Group gap="md" wrap="nowrap">
              <ServiceDot />
              {session && (
                <Button size="compact-sm" variant="default" onClick={() => void session.signOut()} data-testid="sign-out">
                  Sign out
                </Button>
              )}
            </Group>
          </Group>
        </AppShell.Header>
        <AppShell.Navbar p="xs" aria-label="Main">
          <ScrollArea>
            {NAV.map((n) => (
              <NavLink
                key={n.page}
                component="a"
                href={hrefOf({ page: n.page })}
                label={n.label}
                leftSection={n.icon}
                active={section === n.page}
                aria-current={section === n.page ? 'page' : undefined}
                data-testid={n.testId}
                variant="light"
                style={{ borderRadius: 'var(--mantine-radius-sm)' }}
              />
            ))}
          </ScrollArea>
        </AppShell.Navbar>
        <AppShell.Main>
          <div style={{ maxWidth: 1400 }}>
            <Page route={route} />
          </div>
        </AppShell.Main>
      </AppShell>
    </ServicesStatusProvider>
  );
}
