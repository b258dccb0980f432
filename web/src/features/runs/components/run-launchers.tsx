import { Button } from '@mantine/core';
import { IconKey, IconPlayerPlay } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePermission } from '@/lib/auth/use-auth';
import { PERMISSIONS } from '@/lib/permissions';
import { EMPTY_DRAFT } from '../lib/targets';
import { DeployKeyModal } from './deploy-key-modal';
import { RunCommandModal } from './run-command-modal';

/** "Run command…" and "Deploy SSH key…" for hosts selected in a table (shown by permission). */
export function HostRunActions({ selected }: { selected: ReadonlyMap<string, string> }) {
  const { t } = useTranslation();
  const canRun = usePermission(PERMISSIONS.runsExecute);
  const canDeploy = usePermission(PERMISSIONS.keysDeploy);
  const [dialog, setDialog] = useState<'command' | 'key' | null>(null);
  const draft = { ...EMPTY_DRAFT, hosts: [...selected.keys()], hostNames: Object.fromEntries(selected) };
  return (
    <>
      {canRun ? (
        <Button size="sm" variant="default" leftSection={<IconPlayerPlay size={16} />} onClick={() => setDialog('command')} data-testid="bulk-run-command">
          {t('runs.runCommand')}
        </Button>
      ) : null}
      {canDeploy ? (
        <Button size="sm" variant="default" leftSection={<IconKey size={16} />} onClick={() => setDialog('key')} data-testid="bulk-deploy-key">
          {t('runs.deployKey')}
        </Button>
      ) : null}
      {dialog === 'command' ? <RunCommandModal initial={draft} onClose={() => setDialog(null)} /> : null}
      {dialog === 'key' ? <DeployKeyModal initial={draft} onClose={() => setDialog(null)} /> : null}
    </>
  );
}

/** "Run command on this group" on a group's page. */
export function GroupRunButton({ group }: { group: string }) {
  const { t } = useTranslation();
  const canRun = usePermission(PERMISSIONS.runsExecute);
  const [open, setOpen] = useState(false);
  if (!canRun) return null;
  return (
    <>
      <Button variant="default" leftSection={<IconPlayerPlay size={16} />} onClick={() => setOpen(true)} data-testid="group-run-command">
        {t('runs.runOnGroup')}
      </Button>
      {open ? <RunCommandModal initial={{ ...EMPTY_DRAFT, groups: [group] }} onClose={() => setOpen(false)} /> : null}
    </>
  );
}
