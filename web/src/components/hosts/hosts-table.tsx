import { Anchor, Badge, Checkbox, Group, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Host, HostSortField } from '@/api/types';
import { SortableTh } from '@/components/layout/sortable-th';
import { formatDateTime } from '@/lib/format';
import type { HostColumn } from '@/lib/hosts/columns';
import { formatLatency } from '@/lib/hosts/status';
import { StatusBadge } from './status-badge';

export type HostsTableProps = {
  hosts: Host[];
  columns: HostColumn[];
  sort: { field: HostSortField; desc: boolean };
  onSort: (field: HostSortField) => void;
  selected: ReadonlySet<string>;
  onToggle: (id: string) => void;
  onToggleAll: (select: boolean) => void;
  /** Index of the row with keyboard focus, or -1. */
  focused: number;
  onFocusRow: (index: number) => void;
  selectable: boolean;
};

const SORTABLE: Partial<Record<HostColumn, HostSortField>> = {
  address: 'address',
  port: 'port',
  os: 'os',
  environment: 'environment',
  last_check_at: 'last_check_at',
  latency: 'latency',
  updated_at: 'updated_at',
};

function Cell({ host, column }: { host: Host; column: HostColumn }) {
  const { t } = useTranslation();
  const none = (
    <Text size="sm" c="dimmed">
      {t('common.none')}
    </Text>
  );
  switch (column) {
    case 'address':
      return <Text size="sm" ff="monospace">{host.address}</Text>;
    case 'port':
      return <Text size="sm">{host.port}</Text>;
    case 'os':
      return host.os ? <Text size="sm">{host.os}</Text> : none;
    case 'environment':
      return host.environment ? <Badge variant="outline" tt="none">{host.environment}</Badge> : none;
    case 'tags': {
      const tags = Object.entries(host.tags).sort(([a], [b]) => a.localeCompare(b));
      if (tags.length === 0) return none;
      return (
        <Group gap={4}>
          {tags.slice(0, 4).map(([k, v]) => (
            <Badge key={k} variant="outline" color="gray" size="sm" tt="none">
              {v ? `${k}=${v}` : k}
            </Badge>
          ))}
          {tags.length > 4 ? <Text size="xs" c="dimmed">+{tags.length - 4}</Text> : null}
        </Group>
      );
    }
    case 'credential':
      return host.credential_name ? <Text size="sm">{host.credential_name}</Text> : none;
    case 'last_check_at':
      return <Text size="sm" style={{ whiteSpace: 'nowrap' }}>{formatDateTime(host.last_check_at, t('common.never'))}</Text>;
    case 'latency':
      return formatLatency(host.latency_ms) ? <Text size="sm">{formatLatency(host.latency_ms)}</Text> : none;
    case 'updated_at':
      return <Text size="sm" style={{ whiteSpace: 'nowrap' }}>{formatDateTime(host.updated_at)}</Text>;
    default:
      return none;
  }
}

export function HostsTable({ hosts, columns, sort, onSort, selected, onToggle, onToggleAll, focused, onFocusRow, selectable }: HostsTableProps) {
  const { t } = useTranslation();
  const state = { field: sort.field, desc: sort.desc };
  const sortBy = (field: string) => onSort(field as HostSortField);
  const onPage = hosts.filter((h) => selected.has(h.id)).length;
  return (
    <Table.ScrollContainer minWidth={800}>
      <Table verticalSpacing="xs" highlightOnHover data-testid="hosts-table">
        <Table.Thead>
          <Table.Tr>
            {selectable ? (
              <Table.Th w={40}>
                <Checkbox
                  aria-label={t('hosts.selectPage')}
                  checked={onPage > 0 && onPage === hosts.length}
                  indeterminate={onPage > 0 && onPage < hosts.length}
                  onChange={(e) => onToggleAll(e.currentTarget.checked)}
                  data-testid="hosts-select-page"
                />
              </Table.Th>
            ) : null}
            <SortableTh field="name" sort={state} onSort={sortBy}>
              {t('hosts.fields.name')}
            </SortableTh>
            <SortableTh field="status" sort={state} onSort={sortBy}>
              {t('hosts.fields.status')}
            </SortableTh>
            {columns.map((c) => {
              const field = SORTABLE[c];
              return field ? (
                <SortableTh key={c} field={field} sort={state} onSort={sortBy}>
                  {t(`hosts.columns.${c}`)}
                </SortableTh>
              ) : (
                <Table.Th key={c}>{t(`hosts.columns.${c}`)}</Table.Th>
              );
            })}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {hosts.map((h, i) => (
            <Table.Tr
              key={h.id}
              data-testid={`host-row-${h.name}`}
              data-focused={i === focused || undefined}
              bg={i === focused ? 'var(--mantine-primary-color-light)' : selected.has(h.id) ? 'var(--mantine-color-default-hover)' : undefined}
              onClick={() => onFocusRow(i)}
              aria-selected={selected.has(h.id)}
            >
              {selectable ? (
                <Table.Td>
                  <Checkbox
                    aria-label={t('hosts.selectHost', { name: h.name })}
                    checked={selected.has(h.id)}
                    onChange={() => onToggle(h.id)}
                    onClick={(e) => e.stopPropagation()}
                  />
                </Table.Td>
              ) : null}
              <Table.Td>
                <Anchor component={Link} to={`/hosts/${h.id}`} size="sm" fw={500} ff="monospace" data-testid={`host-link-${h.name}`}>
                  {h.name}
                </Anchor>
                {h.description ? (
                  <Text size="xs" c="dimmed" lineClamp={1}>
                    {h.description}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td>
                <StatusBadge
                  status={h.status}
                  lastCheckAt={h.last_check_at}
                  latencyMs={h.latency_ms}
                  method={h.effective_check_method}
                  error={h.last_error}
                  testId={`host-status-${h.name}`}
                />
              </Table.Td>
              {columns.map((c) => (
                <Table.Td key={c}>
                  <Cell host={h} column={c} />
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
