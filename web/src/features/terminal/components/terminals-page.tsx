import { Center, CloseButton, ColorSwatch, Group, Loader, Tabs, Text } from '@mantine/core';
import { IconTerminal2 } from '@tabler/icons-react';
import { useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { EmptyState } from '@/components/feedback/empty-state';
import { PageHeader } from '@/components/layout/page-header';
import { useTerminals } from '../lib/terminals-context';
import type { XtermSession } from '../lib/xterm-session';
import { TerminalView } from './terminal-view';

const DOT = { connecting: 'gray', connected: 'green', reconnecting: 'yellow', disconnected: 'orange', ended: 'red' } as const;

function TabLabel({ xs, onClose }: { xs: XtermSession; onClose: () => void }) {
  const { t } = useTranslation();
  const { status } = useSyncExternalStore(xs.client.subscribe, xs.client.getSnapshot, xs.client.getSnapshot);
  return (
    <Group gap={6} wrap="nowrap">
      <ColorSwatch size={8} color={`var(--mantine-color-${DOT[status.kind]}-6)`} withShadow={false} />
      <Text size="sm" ff="monospace">
        {t('terminal.login', { login: xs.session.login, host: xs.session.host_name })}
      </Text>
      <CloseButton
        size="xs"
        component="span"
        aria-label={t('terminal.closeTab', { host: xs.session.host_name })}
        onClick={(e) => {
          e.stopPropagation();
          onClose();
        }}
        data-testid={`terminal-tab-close-${xs.session.host_name}`}
      />
    </Group>
  );
}

/** All open terminals as tabs; the tab list survives a reload (restored from the server). */
export function TerminalsPage() {
  const { t } = useTranslation();
  const terminals = useTerminals();
  const [params, setParams] = useSearchParams();
  const fromUrl = params.get('s');
  // The choice made here wins until the address catches up: otherwise, while the navigation is
  // pending, a tab that was just replaced falls back to the first tab and keys go to the wrong host.
  const [picked, setPicked] = useState<{ id: string; url: string | null } | null>(null);
  const wanted = picked && picked.url === fromUrl ? picked.id : fromUrl;
  const xs = terminals.sessions.find((s) => s.session.id === wanted) ?? terminals.sessions[0];
  const select = (id: string) => {
    setPicked({ id, url: fromUrl });
    setParams({ s: id }, { replace: true });
  };

  const close = (s: XtermSession) => {
    if (s.client.getSnapshot().status.kind === 'ended') terminals.forget(s.session.id);
    else void terminals.end(s.session.id);
  };

  let body;
  if (!xs && terminals.restoring) {
    body = (
      <Center py="xl">
        <Loader size="sm" />
      </Center>
    );
  } else if (!xs) {
    body = (
      <EmptyState title={t('terminal.noSessions')} icon={<IconTerminal2 size={28} />}>
        <Text size="sm" c="dimmed">
          {t('terminal.noSessionsHint')}
        </Text>
      </EmptyState>
    );
  } else {
    body = (
      <>
        <Tabs value={xs.session.id} onChange={(v) => v && select(v)} keepMounted={false} mb="xs">
          <Tabs.List>
            {terminals.sessions.map((s) => (
              <Tabs.Tab key={s.session.id} value={s.session.id} data-testid={`terminal-tab-${s.session.host_name}`}>
                <TabLabel xs={s} onClose={() => close(s)} />
              </Tabs.Tab>
            ))}
          </Tabs.List>
        </Tabs>
        <TerminalView key={xs.session.id} xs={xs} height="calc(100vh - 200px)" onReopened={select} />
      </>
    );
  }
  return (
    <div data-testid="terminals-page">
      <PageHeader title={t('terminal.title')} />
      {body}
    </div>
  );
}
