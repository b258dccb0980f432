import { Anchor, Group, Paper, SimpleGrid, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconDeviceDesktop, IconKey, IconListDetails, IconUsers } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { AuditAction, AuditActor, AuditTarget, OutcomeBadge } from '@/components/audit/audit-badges';
import { EmptyState } from '@/components/feedback/empty-state';
import { QueryError } from '@/components/feedback/query-error';
import { PageHeader } from '@/components/layout/page-header';
import { usePermission } from '@/lib/auth/use-auth';
import { formatDateTime, formatNumber } from '@/lib/format';
import { PERMISSIONS } from '@/lib/permissions';
import { useDashboard } from '../api/get-dashboard';
import { StatCard } from './stat-card';

export function DashboardPage() {
  const { t, i18n } = useTranslation();
  const dashboard = useDashboard();
  const canAudit = usePermission(PERMISSIONS.auditRead);
  const n = (v: number) => formatNumber(v, i18n.language);

  if (dashboard.isError) return <QueryError error={dashboard.error} onRetry={() => void dashboard.refetch()} />;

  const d = dashboard.data;
  return (
    <Stack data-testid="dashboard">
      <PageHeader title={t('dashboard.title')} />
      {d ? (
        <SimpleGrid cols={{ base: 1, xs: 2, md: 3, lg: 5 }}>
          <StatCard
            testId="stat-users"
            label={t('dashboard.usersTotal')}
            value={n(d.users_total)}
            hint={d.users_disabled > 0 ? t('dashboard.usersDisabled', { count: d.users_disabled }) : undefined}
            icon={IconUsers}
            color="indigo"
          />
          <StatCard testId="stat-sessions" label={t('dashboard.activeSessions')} value={n(d.active_sessions)} icon={IconDeviceDesktop} color="teal" />
          <StatCard testId="stat-tokens" label={t('dashboard.apiTokens')} value={n(d.api_tokens)} icon={IconKey} color="grape" />
          <StatCard testId="stat-audit" label={t('dashboard.auditEvents24h')} value={n(d.audit_events_24h)} icon={IconListDetails} color="blue" />
          <StatCard
            testId="stat-failed-logins"
            label={t('dashboard.failedLogins24h')}
            value={n(d.failed_logins_24h)}
            icon={IconAlertTriangle}
            color={d.failed_logins_24h > 0 ? 'red' : 'gray'}
          />
        </SimpleGrid>
      ) : (
        <SimpleGrid cols={{ base: 1, xs: 2, md: 3, lg: 5 }}>
          {Array.from({ length: 5 }, (_, i) => (
            <Skeleton key={i} height={96} radius="md" />
          ))}
        </SimpleGrid>
      )}
      {/* The server sends no events without audit:read, so the panel would only mislead. */}
      {canAudit ? (
        <Paper withBorder p="md" radius="md">
          <Group justify="space-between" mb="sm">
            <Title order={4}>{t('dashboard.recentEvents')}</Title>
            <Anchor component={Link} to="/audit" size="sm">
              {t('dashboard.viewAll')}
            </Anchor>
          </Group>
          {!d ? (
            <Stack gap="xs">
              {Array.from({ length: 5 }, (_, i) => (
                <Skeleton key={i} height={24} />
              ))}
            </Stack>
          ) : d.recent_events.length === 0 ? (
            <EmptyState title={t('dashboard.noEvents')} />
          ) : (
            <Table.ScrollContainer minWidth={640}>
              <Table verticalSpacing="xs" striped highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('audit.time')}</Table.Th>
                    <Table.Th>{t('audit.actor')}</Table.Th>
                    <Table.Th>{t('audit.action')}</Table.Th>
                    <Table.Th>{t('audit.target')}</Table.Th>
                    <Table.Th>{t('audit.outcome')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {d.recent_events.map((e) => (
                    <Table.Tr key={e.id}>
                      <Table.Td>
                        <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                          {formatDateTime(e.occurred_at, undefined, true)}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <AuditActor event={e} />
                      </Table.Td>
                      <Table.Td>
                        <AuditAction action={e.action} />
                      </Table.Td>
                      <Table.Td>
                        <AuditTarget event={e} />
                      </Table.Td>
                      <Table.Td>
                        <OutcomeBadge outcome={e.outcome} />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Paper>
      ) : null}
    </Stack>
  );
}
