import { Loader, Modal, NavLink, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch, IconServer2 } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { Host } from '@/api/types';
import { useSearchHosts } from '../api/search-hosts';
import { useTerminals } from '../lib/terminals-context';

/** "Connect to host…": pick a host by name, open a terminal on it, and show it on the Terminals page. */
export function ConnectHostModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const terminals = useTerminals();
  const [query, setQuery] = useState('');
  const [debounced] = useDebouncedValue(query, 200);
  const hosts = useSearchHosts(debounced, opened);
  const items = hosts.data?.items ?? [];

  const connect = async (host: Host) => {
    onClose();
    setQuery('');
    const outcome = await terminals.openForHost({ id: host.id, name: host.name });
    if (outcome.kind === 'opened') void navigate(`/terminals?s=${outcome.id}`);
  };

  return (
    <Modal opened={opened} onClose={onClose} title={t('terminal.connect.title')} centered>
      <Stack gap="xs" data-testid="connect-host">
        <TextInput
          data-autofocus
          label={t('terminal.connect.host')}
          placeholder={t('terminal.connect.placeholder')}
          leftSection={<IconSearch size={16} />}
          rightSection={hosts.isFetching ? <Loader size="xs" /> : null}
          value={query}
          onChange={(e) => setQuery(e.currentTarget.value)}
          onKeyDown={(e) => {
            const first = items[0];
            if (e.key === 'Enter' && first) void connect(first);
          }}
          data-testid="connect-host-input"
        />
        {items.length === 0 && !hosts.isFetching ? (
          <Text size="sm" c="dimmed">
            {t('terminal.connect.noHosts')}
          </Text>
        ) : null}
        {items.map((h) => (
          <NavLink
            key={h.id}
            label={h.name}
            description={`${h.address}:${h.port}`}
            leftSection={<IconServer2 size={16} />}
            onClick={() => void connect(h)}
            data-testid={`connect-host-${h.name}`}
          />
        ))}
      </Stack>
    </Modal>
  );
}
