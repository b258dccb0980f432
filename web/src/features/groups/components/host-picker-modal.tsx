import { Badge, Button, Checkbox, Group, Modal, ScrollArea, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { QueryError } from '@/components/feedback/query-error';
import { notifyError, notifySuccess } from '@/lib/notify';
import { useAddGroupMembers } from '../api/add-group-members';
import { PICKER_PAGE, useSearchHosts } from '../api/search-hosts';

/** Picks hosts by search and adds them to a static group. */
export function HostPickerModal({ groupId, groupName, onClose }: { groupId: string; groupName: string; onClose: () => void }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const hosts = useSearchHosts(q);
  const add = useAddGroupMembers();
  const [picked, setPicked] = useState<Map<string, string>>(new Map());
  const toggle = (id: string, name: string) =>
    setPicked((prev) => {
      const next = new Map(prev);
      if (next.has(id)) next.delete(id);
      else next.set(id, name);
      return next;
    });
  const submit = () =>
    add.mutate(
      { id: groupId, ids: [...picked.keys()] },
      {
        onSuccess: (r) => {
          notifySuccess(t('groups.members.added', { count: r.changed, name: groupName }));
          onClose();
        },
        onError: (err) => notifyError(err),
      },
    );
  return (
    <Modal opened onClose={onClose} title={t('groups.members.addTitle', { name: groupName })} size="lg" centered>
      <Stack data-testid="host-picker">
        <TextInput
          placeholder={t('groups.members.pickerSearch')}
          aria-label={t('common.search')}
          leftSection={<IconSearch size={16} />}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          data-autofocus
          data-testid="host-picker-search"
        />
        {hosts.isError ? <QueryError error={hosts.error} onRetry={() => void hosts.refetch()} /> : null}
        <ScrollArea.Autosize mah={320}>
          <Stack gap={4}>
            {(hosts.data?.items ?? []).map((h) => (
              <Checkbox
                key={h.id}
                label={
                  <Group gap={6}>
                    <Text size="sm" ff="monospace">
                      {h.name}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {h.address}
                    </Text>
                    {h.environment ? (
                      <Badge size="xs" variant="outline" tt="none">
                        {h.environment}
                      </Badge>
                    ) : null}
                  </Group>
                }
                checked={picked.has(h.id)}
                onChange={() => toggle(h.id, h.name)}
                data-testid={`picker-host-${h.name}`}
              />
            ))}
            {hosts.data && hosts.data.items.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('groups.members.pickerNone')}
              </Text>
            ) : null}
            {hosts.data && hosts.data.total > PICKER_PAGE ? (
              <Text size="xs" c="dimmed">
                {t('groups.members.pickerMore', { count: hosts.data.total - PICKER_PAGE })}
              </Text>
            ) : null}
          </Stack>
        </ScrollArea.Autosize>
        <Group justify="space-between">
          <Text size="sm" c="dimmed" data-testid="picker-count">
            {t('groups.members.picked', { count: picked.size })}
          </Text>
          <Group gap="xs">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button onClick={submit} disabled={picked.size === 0} loading={add.isPending} data-testid="host-picker-submit">
              {t('groups.members.add')}
            </Button>
          </Group>
        </Group>
      </Stack>
    </Modal>
  );
}
