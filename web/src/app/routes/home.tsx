import { Navigate } from 'react-router';
import { useSession } from '@/lib/auth/use-auth';
import { PERMISSIONS } from '@/lib/permissions';
import { DashboardPage } from '@/features/dashboard/components/dashboard-page';
import { visibleNavItems } from '../layout/nav-items';

/** The dashboard, or the first page the role may see when it cannot read the dashboard. */
export function HomeRoute() {
  const { permissions } = useSession();
  if (permissions.includes(PERMISSIONS.dashboardRead)) return <DashboardPage />;
  const first = visibleNavItems(permissions).find((item) => item.path !== '/');
  return <Navigate to={first?.path ?? '/sessions'} replace />;
}
