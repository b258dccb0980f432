import { Alert, Button, Center, Loader, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconTerminal2 } from '@tabler/icons-react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '@/components/feedback/empty-state';
import { errorMessage } from '@/lib/notify';
import { useTerminals, type HostRef, type OpenOutcome } from '../lib/terminals-context';
import { TerminalView } from './terminal-view';

/**
 * The Terminal tab of a host: shows this host's open terminal (kept alive across pages), or opens
 * one when there is none.
 */
export function HostTerminal({ host }: { host: HostRef }) {
  const { t } = useTranslation();
  const terminals = useTerminals();
  const [outcome, setOutcome] = useState<OpenOutcome | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const mine = terminals.sessions.filter((s) => s.session.host_id === host.id);
  const xs = mine.find((s) => s.session.id === chosen) ?? mine.at(-1);
  const pending = terminals.pendingHosts.has(host.id);
  const { openForHost } = terminals;

  const open = useCallback(async () => {
    setOutcome(null);
    const o = await openForHost(host);
    setOutcome(o);
    if (o.kind === 'opened') setChosen(o.id);
  }, [openForHost, host]);

  // Open on first sight of the tab when this host has no terminal yet (once, not after a cancel).
  const tried = useRef(false);
  useEffect(() => {
    if (tried.current || !terminals.enabled || terminals.restoring || xs) return;
    tried.current = true;
    void open();
  }, [terminals.enabled, terminals.restoring, xs, open]);

  if (!terminals.enabled) return <EmptyState title={t('terminal.noPermission')} />;
  if (xs) return <TerminalView key={xs.session.id} xs={xs} height="calc(100vh - 300px)" onReopened={setChosen} />;
  if (pending || terminals.restoring || outcome === null) {
    return (
      <Center py="xl">
        <Stack align="center" gap="xs">
          <Loader size="sm" />
          <Text size="sm" c="dimmed">
            {terminals.restoring ? t('terminal.restoring') : t('terminal.opening', { host: host.name })}
          </Text>
        </Stack>
      </Center>
    );
  }
  return (
    <Stack align="center" py="lg">
      {outcome?.kind === 'failed' ? (
        <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title={t('terminal.failed')} w="100%" data-testid="terminal-open-error">
          {errorMessage(outcome.error)}
        </Alert>
      ) : null}
      <Button leftSection={<IconTerminal2 size={16} />} onClick={() => void open()} data-testid="terminal-open">
        {t('terminal.open')}
      </Button>
    </Stack>
  );
}
