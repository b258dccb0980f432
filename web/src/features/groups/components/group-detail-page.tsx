import { Anchor, Button, Group, Paper, Tabs, Text, Title } from '@mantine/core';
import { IconArrowLeft, IconBinaryTree, IconFilter, IconHistory, IconPencil, IconServer2, IconTrash, IconVariable } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import type { Group as InventoryGroup } from '@/api/types';
import { QueryError } from '@/components/feedback/query-error';
import { TableSkeleton } from '@/components/feedback/table-skeleton';
import { usePermission } from '@/lib/auth/use-auth';
import { PERMISSIONS } from '@/lib/permissions';
import { useGroup } from '../api/get-group';
import { DeleteGroupModal } from './delete-group-modal';
import { EditGroupModal } from './edit-group-modal';
import { GroupHistoryTab } from './group-history-tab';
import { GroupMembersTab } from './group-members-tab';
import { GroupNestingTab } from './group-nesting-tab';
import { GroupRuleTab } from './group-rule-tab';
import { GroupVariablesTab } from './group-variables-tab';
import { InventoryExportMenu } from './inventory-export-menu';
import { KindBadge } from './kind-badge';

type Props = {
  /** Extra header actions for the group, composed in by the app (e.g. running a command on it). */
  actions?: (group: InventoryGroup) => ReactNode;
};

export function GroupDetailPage({ actions }: Props = {}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { id = '' } = useParams();
  const group = useGroup(id);
  const canManage = usePermission(PERMISSIONS.groupsManage);
  const [dialog, setDialog] = useState<'edit' | 'delete' | null>(null);

  if (group.isError) return <QueryError error={group.error} onRetry={() => void group.refetch()} />;
  if (!group.data) return <TableSkeleton rows={6} />;
  const g = group.data;

  return (
    <>
      <Anchor component={Link} to="/groups" size="sm" mb="xs" display="inline-flex" style={{ alignItems: 'center', gap: 4 }}>
        <IconArrowLeft size={14} /> {t('groups.backToList')}
      </Anchor>
      <Group justify="space-between" mb="md" wrap="wrap">
        <div>
          <Group gap="sm">
            <Title order={2} ff="monospace" data-testid="group-detail-name">
              {g.name}
            </Title>
            <KindBadge kind={g.kind} />
          </Group>
          <Text size="sm" c="dimmed" data-testid="group-detail-counts">
            {t('groups.counts', { members: g.member_count, children: g.children.length, parents: g.parents.length })}
          </Text>
          {g.description ? <Text size="sm">{g.description}</Text> : null}
        </div>
        <Group gap="xs">
          {actions?.(g)}
          <InventoryExportMenu groups={[g.name]} testId="group-export" />
          {canManage ? (
            <>
              <Button variant="default" leftSection={<IconPencil size={16} />} onClick={() => setDialog('edit')} data-testid="group-edit">
                {t('common.edit')}
              </Button>
              <Button variant="light" color="red" leftSection={<IconTrash size={16} />} onClick={() => setDialog('delete')} data-testid="group-delete">
                {t('common.delete')}
              </Button>
            </>
          ) : null}
        </Group>
      </Group>
      <Paper withBorder p="md" radius="md">
        <Tabs defaultValue="members" keepMounted={false}>
          <Tabs.List mb="md">
            <Tabs.Tab value="members" leftSection={<IconServer2 size={16} />} data-testid="group-tab-members">
              {t('groups.tabs.members')}
            </Tabs.Tab>
            {g.kind === 'dynamic' ? (
              <Tabs.Tab value="rule" leftSection={<IconFilter size={16} />} data-testid="group-tab-rule">
                {t('groups.tabs.rule')}
              </Tabs.Tab>
            ) : null}
            <Tabs.Tab value="variables" leftSection={<IconVariable size={16} />} data-testid="group-tab-variables">
              {t('groups.tabs.variables')}
            </Tabs.Tab>
            <Tabs.Tab value="nesting" leftSection={<IconBinaryTree size={16} />} data-testid="group-tab-nesting">
              {t('groups.tabs.nesting')}
            </Tabs.Tab>
            <Tabs.Tab value="history" leftSection={<IconHistory size={16} />} data-testid="group-tab-history">
              {t('groups.tabs.history')}
            </Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="members">
            <GroupMembersTab group={g} canManage={canManage} />
          </Tabs.Panel>
          {g.kind === 'dynamic' ? (
            <Tabs.Panel value="rule">
              <GroupRuleTab key={g.version} group={g} canManage={canManage} />
            </Tabs.Panel>
          ) : null}
          <Tabs.Panel value="variables">
            <GroupVariablesTab key={g.version} group={g} canManage={canManage} />
          </Tabs.Panel>
          <Tabs.Panel value="nesting">
            <GroupNestingTab key={g.version} group={g} canManage={canManage} />
          </Tabs.Panel>
          <Tabs.Panel value="history">
            <GroupHistoryTab groupId={g.id} />
          </Tabs.Panel>
        </Tabs>
      </Paper>
      {dialog === 'edit' ? <EditGroupModal group={g} onClose={() => setDialog(null)} /> : null}
      {dialog === 'delete' ? <DeleteGroupModal group={g} onClose={() => setDialog(null)} onDeleted={() => void navigate('/groups')} /> : null}
    </>
  );
}
