import { ActionIcon, Badge, Group, Menu, Table, Text, Tooltip } from '@mantine/core';
import { IconDots, IconEye, IconInfoCircle, IconLink, IconPencil, IconReplace, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Secret } from '@/api/types';
import { EmptyState } from '@/components/feedback/empty-state';
import { formatDateTime } from '@/lib/format';
import { expiryState } from '../lib/expiry';
import { KindBadge } from './kind-badge';
import { KindSummary } from './kind-summary';

export type SecretAction = 'details' | 'reveal' | 'edit' | 'replace' | 'usage' | 'delete';

export type SecretsTableProps = {
  secrets: Secret[];
  filtered: boolean;
  canUpdate: boolean;
  canDelete: boolean;
  canReveal: boolean;
  onAction: (action: SecretAction, secret: Secret) => void;
};

function Expiry({ value }: { value: string | null | undefined }) {
  const { t } = useTranslation();
  const state = expiryState(value);
  if (state === 'none') return <Text size="sm" c="dimmed">{t('secrets.noExpiry')}</Text>;
  const text = formatDateTime(value);
  if (state === 'ok') return <Text size="sm" style={{ whiteSpace: 'nowrap' }}>{text}</Text>;
  return (
    <Tooltip label={text}>
      <Badge color={state === 'expired' ? 'red' : 'orange'} variant="light" data-testid={`expiry-${state}`}>
        {state === 'expired' ? t('secrets.expired') : `${t('secrets.expiresSoon')}: ${formatDateTime(value)}`}
      </Badge>
    </Tooltip>
  );
}

export function SecretsTable({ secrets, filtered, canUpdate, canDelete, canReveal, onAction }: SecretsTableProps) {
  const { t } = useTranslation();
  if (secrets.length === 0) return <EmptyState title={filtered ? t('secrets.emptyFiltered') : t('secrets.empty')} />;
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table verticalSpacing="sm" highlightOnHover data-testid="secrets-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('secrets.name')}</Table.Th>
            <Table.Th>{t('secrets.kind')}</Table.Th>
            <Table.Th>{t('secrets.tags')}</Table.Th>
            <Table.Th>{t('secrets.lastUsed')}</Table.Th>
            <Table.Th>{t('secrets.expiresAt')}</Table.Th>
            <Table.Th>{t('secrets.updatedAt')}</Table.Th>
            <Table.Th w={60} aria-label={t('common.actions')} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {secrets.map((s) => {
            const tags = Object.entries(s.tags).sort(([a], [b]) => a.localeCompare(b));
            return (
              <Table.Tr key={s.id} data-testid={`secret-row-${s.name}`} data-kind={s.kind}>
                <Table.Td>
                  <Text size="sm" fw={500} ff="monospace">
                    {s.name}
                  </Text>
                  {s.description ? (
                    <Text size="xs" c="dimmed" lineClamp={2}>
                      {s.description}
                    </Text>
                  ) : null}
                  <KindSummary secret={s} />
                </Table.Td>
                <Table.Td>
                  <KindBadge kind={s.kind} />
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {tags.length === 0 ? (
                      <Text size="sm" c="dimmed">
                        {t('common.none')}
                      </Text>
                    ) : (
                      tags.map(([k, v]) => (
                        <Badge key={k} variant="outline" color="gray" size="sm" tt="none">
                          {v ? `${k}=${v}` : k}
                        </Badge>
                      ))
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" style={{ whiteSpace: 'nowrap' }}>{formatDateTime(s.last_used_at, t('common.never'))}</Text>
                </Table.Td>
                <Table.Td>
                  <Expiry value={s.expires_at} />
                </Table.Td>
                <Table.Td>
                  <Text size="sm" style={{ whiteSpace: 'nowrap' }}>{formatDateTime(s.updated_at)}</Text>
                </Table.Td>
                <Table.Td>
                  <Menu position="bottom-end" withinPortal>
                    <Menu.Target>
                      <ActionIcon variant="subtle" color="gray" aria-label={t('common.actions')} data-testid={`secret-actions-${s.name}`}>
                        <IconDots size={16} />
                      </ActionIcon>
                    </Menu.Target>
                    <Menu.Dropdown>
                      <Menu.Item leftSection={<IconInfoCircle size={14} />} onClick={() => onAction('details', s)} data-testid="secret-action-details">
                        {t('secrets.details')}
                      </Menu.Item>
                      {canReveal ? (
                        <Menu.Item leftSection={<IconEye size={14} />} onClick={() => onAction('reveal', s)} data-testid="secret-action-reveal">
                          {t('secrets.reveal')}
                        </Menu.Item>
                      ) : null}
                      <Menu.Item leftSection={<IconLink size={14} />} onClick={() => onAction('usage', s)} data-testid="secret-action-usage">
                        {t('secrets.usage')}
                      </Menu.Item>
                      {canUpdate ? (
                        <>
                          <Menu.Item leftSection={<IconPencil size={14} />} onClick={() => onAction('edit', s)} data-testid="secret-action-edit">
                            {t('common.edit')}
                          </Menu.Item>
                          <Menu.Item leftSection={<IconReplace size={14} />} onClick={() => onAction('replace', s)} data-testid="secret-action-replace">
                            {t('secrets.replaceValue')}
                          </Menu.Item>
                        </>
                      ) : null}
                      {canDelete ? (
                        <Menu.Item color="red" leftSection={<IconTrash size={14} />} onClick={() => onAction('delete', s)} data-testid="secret-action-delete">
                          {t('common.delete')}
                        </Menu.Item>
                      ) : null}
                    </Menu.Dropdown>
                  </Menu>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
