import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './styles.css';
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { WebSessionProvider } from './app/WebSessionContext';
import { createClient } from './client';
import { ClientProvider } from './client/ClientContext';
import { cssVariablesResolver, theme } from './theme';

const root = document.getElementById('root');
const { client, session } = createClient();
if (!root) throw new Error('index.html lost its #root element');

createRoot(root).render(
  <StrictMode>
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="auto">
      <Notifications position="bottom-right" />
      <WebSessionProvider session={session}>
        <ClientProvider client={client}>
          <App />
        </ClientProvider>
      </WebSessionProvider>
    </MantineProvider>
  </StrictMode>,
);
