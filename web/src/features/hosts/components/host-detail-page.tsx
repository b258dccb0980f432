import { Alert, Anchor, Badge, Button, Code, Group, Modal, Paper, SimpleGrid, Stack, Tabs, Text, Title } from '@mantine/core';
import { IconActivity, IconArrowLeft, IconHistory, IconInfoCircle, IconListDetails, IconPencil, IconPlayerPlay, IconTerminal2, IconTrash } from '@tabler/icons-react';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import type { Host, HostStatusUpdate } from '@/api/types';
import { EmptyState } from '@/components/feedback/empty-state';
import { QueryError } from '@/components/feedback/query-error';
import { TableSkeleton } from '@/components/feedback/table-skeleton';
import { usePermission } from '@/lib/auth/use-auth';
import { formatDateTime } from '@/lib/format';
import { notifyError, notifySuccess } from '@/lib/notify';
import { PERMISSIONS } from '@/lib/permissions';
import { useCheckHost } from '../api/check-host';
import { useDeleteHost } from '../api/delete-host';
import { useHost } from '../api/get-host';
import { useHostEvents } from '../api/host-events';
import { HostAudit } from './host-audit';
import { HostFormModal } from './host-form-modal';
import { HostGroups } from './host-groups';
import { formatLatency } from '@/lib/hosts/status';
import { StatusBadge } from '@/components/hosts/status-badge';
import { StatusTimeline } from './status-timeline';

/** How long the "checking" spinner waits for the live result before giving up. */
const CHECK_WAIT_MS = 150_000;

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <div style={{ wordBreak: 'break-word' }}>{children}</div>
    </div>
  );
}

function Overview({ host }: { host: Host }) {
  const { t } = useTranslation();
  const none = (
    <Text size="sm" c="dimmed">
      {t('common.none')}
    </Text>
  );
  const tags = Object.entries(host.tags).sort(([a], [b]) => a.localeCompare(b));
  const latency = formatLatency(host.latency_ms);
  return (
    <Stack>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} data-testid="host-overview">
        <Field label={t('hosts.fields.address')}>
          <Text size="sm" ff="monospace">
            {host.address}:{host.port}
          </Text>
        </Field>
        <Field label={t('hosts.fields.os')}>{host.os ? <Text size="sm">{host.os}</Text> : none}</Field>
        <Field label={t('hosts.fields.environment')}>{host.environment ? <Badge variant="outline" tt="none">{host.environment}</Badge> : none}</Field>
        <Field label={t('hosts.fields.credential')}>
          {host.credential_name ? (
            <Anchor component={Link} to="/secrets" size="sm" data-testid="host-credential">
              {host.credential_name}
            </Anchor>
          ) : (
            none
          )}
        </Field>
        <Field label={t('hosts.fields.checkMethod')}>
          <Text size="sm" data-testid="host-check-method">
            {host.check_method
              ? t('hosts.detail.ownMethod', { method: t(`hosts.methods.${host.check_method}`) })
              : t('hosts.detail.inheritedMethod', { method: t(`hosts.methods.${host.effective_check_method}`) })}
          </Text>
        </Field>
        <Field label={t('hosts.columns.last_check_at')}>
          <Text size="sm">
            {formatDateTime(host.last_check_at, t('common.never'), true)}
            {latency ? ` · ${latency}` : ''}
          </Text>
        </Field>
        <Field label={t('hosts.detail.fingerprint')}>{host.host_key_fingerprint ? <Code>{host.host_key_fingerprint}</Code> : none}</Field>
        <Field label={t('hosts.columns.updated_at')}>
          <Text size="sm">{formatDateTime(host.updated_at)}</Text>
        </Field>
        <Field label={t('hosts.fields.description')}>{host.description ? <Text size="sm">{host.description}</Text> : none}</Field>
      </SimpleGrid>
      <Field label={t('hosts.fields.tags')}>
        {tags.length === 0 ? (
          none
        ) : (
          <Group gap={4}>
            {tags.map(([k, v]) => (
              <Badge key={k} variant="outline" color="gray" tt="none">
                {v ? `${k}=${v}` : k}
              </Badge>
            ))}
          </Group>
        )}
      </Field>
      {host.last_error ? (
        <Alert color="red" variant="light" title={t('hosts.detail.lastError')} data-testid="host-last-error">
          {host.last_error}
        </Alert>
      ) : null}
      <HostGroups hostId={host.id} />
      <Title order={5}>{t('hosts.detail.timeline')}</Title>
      <StatusTimeline hostId={host.id} />
    </Stack>
  );
}

function DeleteHostModal({ host, onClose }: { host: Host; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const remove = useDeleteHost();
  return (
    <Modal opened onClose={onClose} title={t('hosts.deleteTitle')} centered>
      <Stack>
        <Text size="sm">{t('hosts.deleteConfirm', { name: host.name })}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            color="red"
            loading={remove.isPending}
            onClick={() =>
              remove.mutate(host.id, {
                onSuccess: () => {
                  notifySuccess(t('hosts.deleted', { name: host.name }));
                  void navigate('/hosts');
                },
                onError: (err) => notifyError(err),
              })
            }
            data-testid="host-delete-confirm"
          >
            {t('common.delete')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function Later({ text }: { text: string }) {
  return <EmptyState title={text} />;
}

/**
 * `terminal` renders the Terminal tab (composed in the app layer: features do not import each
 * other); without it, or without `terminal:open`, the tab is hidden.
 */
export function HostDetailPage({ terminal }: { terminal?: (host: Host) => ReactNode } = {}) {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const host = useHost(id);
  const { refetch } = host;
  const check = useCheckHost();
  const canUpdate = usePermission(PERMISSIONS.hostsUpdate);
  const canDelete = usePermission(PERMISSIONS.hostsDelete);
  const canCheck = usePermission(PERMISSIONS.hostsCheck);
  const canAudit = usePermission(PERMISSIONS.auditRead);
  const canTerminal = usePermission(PERMISSIONS.terminalOpen) && terminal !== undefined;
  const [checking, setChecking] = useState(false);
  const [dialog, setDialog] = useState<'edit' | 'delete' | null>(null);

  const onUpdate = useCallback(
    (u: HostStatusUpdate) => {
      if (u.host_id === id) setChecking(false);
    },
    [id],
  );
  useHostEvents(onUpdate);

  // Should the live result never arrive (stream down), stop spinning and show what the server has.
  useEffect(() => {
    if (!checking) return;
    const timer = setTimeout(() => {
      setChecking(false);
      void refetch();
    }, CHECK_WAIT_MS);
    return () => clearTimeout(timer);
  }, [checking, refetch]);

  if (host.isError) return <QueryError error={host.error} onRetry={() => void host.refetch()} />;
  if (!host.data) return <TableSkeleton rows={6} />;
  const h = host.data;

  return (
    <>
      <Anchor component={Link} to="/hosts" size="sm" mb="xs" display="inline-flex" style={{ alignItems: 'center', gap: 4 }}>
        <IconArrowLeft size={14} /> {t('hosts.backToList')}
      </Anchor>
      <Group justify="space-between" mb="md" wrap="wrap">
        <Group gap="sm">
          <Title order={2} ff="monospace" data-testid="host-detail-name">
            {h.name}
          </Title>
          <StatusBadge status={h.status} lastCheckAt={h.last_check_at} latencyMs={h.latency_ms} method={h.effective_check_method} error={h.last_error} testId="host-detail-status" />
          {checking ? (
            <Text size="sm" c="dimmed" data-testid="host-checking">
              {t('hosts.checking')}
            </Text>
          ) : null}
        </Group>
        <Group gap="xs">
          {canCheck ? (
            <Button
              leftSection={<IconActivity size={16} />}
              loading={checking || check.isPending}
              onClick={() =>
                check.mutate(h.id, {
                  onSuccess: () => setChecking(true),
                  onError: (err) => notifyError(err),
                })
              }
              data-testid="host-check"
            >
              {t('hosts.checkStatus')}
            </Button>
          ) : null}
          {canUpdate ? (
            <Button variant="default" leftSection={<IconPencil size={16} />} onClick={() => setDialog('edit')} data-testid="host-edit">
              {t('common.edit')}
            </Button>
          ) : null}
          {canDelete ? (
            <Button variant="light" color="red" leftSection={<IconTrash size={16} />} onClick={() => setDialog('delete')} data-testid="host-delete">
              {t('common.delete')}
            </Button>
          ) : null}
        </Group>
      </Group>
      <Paper withBorder p="md" radius="md">
        <Tabs defaultValue="overview" keepMounted={false}>
          <Tabs.List mb="md">
            <Tabs.Tab value="overview" leftSection={<IconInfoCircle size={16} />}>
              {t('hosts.detail.overview')}
            </Tabs.Tab>
            {canTerminal ? (
              <Tabs.Tab value="terminal" leftSection={<IconTerminal2 size={16} />} data-testid="host-tab-terminal">
                {t('hosts.detail.terminal')}
              </Tabs.Tab>
            ) : null}
            <Tabs.Tab value="runs" leftSection={<IconPlayerPlay size={16} />}>
              {t('hosts.detail.runs')}
            </Tabs.Tab>
            <Tabs.Tab value="audit" leftSection={canAudit ? <IconListDetails size={16} /> : <IconHistory size={16} />} data-testid="host-tab-audit">
              {t('hosts.detail.audit')}
            </Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="overview">
            <Overview host={h} />
          </Tabs.Panel>
          {canTerminal ? <Tabs.Panel value="terminal">{terminal?.(h)}</Tabs.Panel> : null}
          <Tabs.Panel value="runs">
            <Later text={t('hosts.detail.runsLater')} />
          </Tabs.Panel>
          <Tabs.Panel value="audit">{canAudit ? <HostAudit hostId={h.id} /> : <Later text={t('errors.noAccess')} />}</Tabs.Panel>
        </Tabs>
      </Paper>
      {dialog === 'edit' ? <HostFormModal key={h.version} host={h} onClose={() => setDialog(null)} /> : null}
      {dialog === 'delete' ? <DeleteHostModal host={h} onClose={() => setDialog(null)} /> : null}
    </>
  );
}
