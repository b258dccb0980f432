import { Alert, Group, Loader, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ResolvedTargets } from '@/api/types';
import { errorMessage } from '@/lib/notify';
import type { TargetPreviewState } from '../lib/use-target-preview';

/** The live count, the first hosts, and warnings about hosts that would fail. */
export function TargetPreview({ preview }: { preview: TargetPreviewState }) {
  const { t } = useTranslation();
  const { query, empty, pending, data } = preview;
  if (empty)
    return (
      <Text size="sm" c="dimmed" data-testid="targets-count" data-count="0">
        {t('runs.targets.empty')}
      </Text>
    );
  if (query.isError && !pending)
    return (
      <Text size="sm" c="red" data-testid="targets-error">
        {errorMessage(query.error)}
      </Text>
    );
  return (
    <Stack gap={6}>
      <Group gap="xs">
        <Text size="sm" fw={500} data-testid="targets-count" data-count={data && !pending ? data.total : undefined}>
          {data ? t('runs.targets.count', { count: data.total }) : t('runs.targets.resolving')}
        </Text>
        {pending ? <Loader size={14} /> : null}
      </Group>
      {data && data.hosts.length > 0 ? <HostNames data={data} /> : null}
      {data && data.without_credential > 0 ? (
        <Alert color="yellow" icon={<IconAlertTriangle size={16} />} p="xs" data-testid="targets-warning-credential">
          {t('runs.targets.withoutCredential', { count: data.without_credential })}
        </Alert>
      ) : null}
      {data && data.without_host_key > 0 ? (
        <Alert color="yellow" icon={<IconAlertTriangle size={16} />} p="xs" data-testid="targets-warning-hostkey">
          {t('runs.targets.withoutHostKey', { count: data.without_host_key })}
        </Alert>
      ) : null}
    </Stack>
  );
}

function HostNames({ data }: { data: ResolvedTargets }) {
  const { t } = useTranslation();
  const shown = data.hosts.slice(0, 12);
  const more = data.total - shown.length;
  return (
    <Text size="xs" c="dimmed" ff="monospace" data-testid="targets-hosts">
      {shown.map((h) => h.name).join(', ')}
      {more > 0 ? ` ${t('runs.targets.more', { count: more })}` : ''}
    </Text>
  );
}
