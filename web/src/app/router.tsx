import { createBrowserRouter, RouterProvider } from 'react-router';
import { PERMISSIONS } from '@/lib/permissions';
import { AuditPage } from '@/features/audit/components/audit-page';
import { GroupDetailPage } from '@/features/groups/components/group-detail-page';
import { GroupsPage } from '@/features/groups/components/groups-page';
import { HostDetailPage } from '@/features/hosts/components/host-detail-page';
import { HostsPage } from '@/features/hosts/components/hosts-page';
import { ImportPage } from '@/features/hosts/components/import-page';
import { LaunchPage } from '@/features/playbooks/components/launch-page';
import { PlaybookDetailPage } from '@/features/playbooks/components/playbook-detail-page';
import { PlaybookWizardPage } from '@/features/playbooks/components/playbook-wizard';
import { PlaybooksPage } from '@/features/playbooks/components/playbooks-page';
import { SchedulesPage } from '@/features/playbooks/components/schedules-page';
import type { TargetsSlot } from '@/features/playbooks/lib/slots';
import { RunPage } from '@/features/runs/components/run-page';
import { TargetSpecEditor } from '@/features/runs/components/target-spec-editor';
import { GroupRunButton, HostRunActions } from '@/features/runs/components/run-launchers';
import { RunsPage } from '@/features/runs/components/runs-page';
import { RecordingsPage } from '@/features/recordings/components/recordings-page';
import { SecretsPage } from '@/features/secrets/components/secrets-page';
import { SessionsPage } from '@/features/sessions/components/sessions-page';
import { SettingsPage } from '@/features/settings/components/settings-page';
import { HostTerminal } from '@/features/terminal/components/host-terminal';
import { TerminalsPage } from '@/features/terminal/components/terminals-page';
import { TokensPage } from '@/features/tokens/components/tokens-page';
import { UsersPage } from '@/features/users/components/users-page';
import { AuthGate } from './auth-gate';
import { AppLayout } from './layout/app-layout';
import { RequirePermission } from './require-permission';
import { HomeRoute } from './routes/home';
import { NotFoundRoute } from './routes/not-found';
import { RouteError } from './routes/route-error';

/** The playbook forms' targets editor comes from the runs feature. */
const playbookTargets: TargetsSlot = (props) => <TargetSpecEditor {...props} />;

const router = createBrowserRouter([
  {
    element: <AuthGate />,
    errorElement: <RouteError />,
    children: [
      {
        element: <AppLayout />,
        children: [
          { index: true, element: <HomeRoute /> },
          {
            path: 'users',
            element: (
              <RequirePermission permission={PERMISSIONS.usersRead}>
                <UsersPage />
              </RequirePermission>
            ),
          },
          {
            path: 'hosts',
            element: (
              <RequirePermission permission={PERMISSIONS.hostsRead}>
                <HostsPage bulkActions={(selected) => <HostRunActions selected={selected} />} />
              </RequirePermission>
            ),
          },
          {
            path: 'hosts/import',
            element: (
              <RequirePermission permission={PERMISSIONS.hostsCreate}>
                <ImportPage />
              </RequirePermission>
            ),
          },
          {
            path: 'hosts/:id',
            element: (
              <RequirePermission permission={PERMISSIONS.hostsRead}>
                <HostDetailPage terminal={(h) => <HostTerminal host={{ id: h.id, name: h.name }} />} />
              </RequirePermission>
            ),
          },
          {
            path: 'terminals',
            element: (
              <RequirePermission permission={PERMISSIONS.terminalOpen}>
                <TerminalsPage />
              </RequirePermission>
            ),
          },
          {
            path: 'recordings',
            element: (
              <RequirePermission permission={PERMISSIONS.recordingsView}>
                <RecordingsPage />
              </RequirePermission>
            ),
          },
          {
            path: 'groups',
            element: (
              <RequirePermission permission={PERMISSIONS.hostsRead}>
                <GroupsPage />
              </RequirePermission>
            ),
          },
          {
            path: 'groups/:id',
            element: (
              <RequirePermission permission={PERMISSIONS.hostsRead}>
                <GroupDetailPage actions={(g) => <GroupRunButton group={g.name} />} />
              </RequirePermission>
            ),
          },
          {
            path: 'runs',
            element: (
              <RequirePermission permission={PERMISSIONS.runsRead}>
                <RunsPage />
              </RequirePermission>
            ),
          },
          {
            path: 'runs/:id',
            element: (
              <RequirePermission permission={PERMISSIONS.runsRead}>
                <RunPage />
              </RequirePermission>
            ),
          },
          {
            path: 'playbooks',
            element: (
              <RequirePermission permission={PERMISSIONS.playbooksRead}>
                <PlaybooksPage />
              </RequirePermission>
            ),
          },
          {
            path: 'playbooks/new',
            element: (
              <RequirePermission permission={PERMISSIONS.playbooksManage}>
                <PlaybookWizardPage targets={playbookTargets} />
              </RequirePermission>
            ),
          },
          {
            path: 'playbooks/:id',
            element: (
              <RequirePermission permission={PERMISSIONS.playbooksRead}>
                <PlaybookDetailPage />
              </RequirePermission>
            ),
          },
          {
            path: 'playbooks/:id/edit',
            element: (
              <RequirePermission permission={PERMISSIONS.playbooksManage}>
                <PlaybookWizardPage targets={playbookTargets} />
              </RequirePermission>
            ),
          },
          {
            path: 'playbooks/:id/launch',
            element: (
              <RequirePermission permission={PERMISSIONS.runsExecute}>
                <LaunchPage targets={playbookTargets} />
              </RequirePermission>
            ),
          },
          {
            path: 'schedules',
            element: (
              <RequirePermission permission={PERMISSIONS.playbooksRead}>
                <SchedulesPage />
              </RequirePermission>
            ),
          },
          {
            path: 'secrets',
            element: (
              <RequirePermission permission={PERMISSIONS.secretsRead}>
                <SecretsPage />
              </RequirePermission>
            ),
          },
          { path: 'sessions', element: <SessionsPage /> },
          { path: 'tokens', element: <TokensPage /> },
          {
            path: 'audit',
            element: (
              <RequirePermission permission={PERMISSIONS.auditRead}>
                <AuditPage />
              </RequirePermission>
            ),
          },
          {
            path: 'settings',
            element: (
              <RequirePermission permission={PERMISSIONS.settingsRead}>
                <SettingsPage />
              </RequirePermission>
            ),
          },
          { path: '*', element: <NotFoundRoute /> },
        ],
      },
    ],
  },
]);

export function AppRouter() {
  return <RouterProvider router={router} />;
}
