import { AppShell, Burger, Group, Kbd, NavLink, ScrollArea, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { spotlight } from '@mantine/spotlight';
import { IconLayoutSidebarLeftCollapse, IconLayoutSidebarLeftExpand, IconSearch, IconServerCog } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { NavLink as RouterNavLink, Outlet, useLocation } from 'react-router';
import { LanguageMenu } from '@/components/layout/language-menu';
import { ThemeToggle } from '@/components/layout/theme-toggle';
import { useSession } from '@/lib/auth/use-auth';
import { useLogout } from '@/features/auth/api/logout';
import { ChangePasswordModal } from '@/features/auth/components/change-password-modal';
import { TerminalsProvider } from '@/features/terminal/components/terminals-provider';
import { CommandPalette } from './command-palette';
import { visibleNavItems } from './nav-items';
import { UserMenu } from './user-menu';
import classes from './app-layout.module.css';

export function AppLayout() {
  const { t } = useTranslation();
  const session = useSession();
  const location = useLocation();
  const [mobileOpened, mobile] = useDisclosure(false);
  const [desktopOpened, desktop] = useDisclosure(true);
  const [passwordOpened, passwordModal] = useDisclosure(false);
  const logout = useLogout();
  const items = visibleNavItems(session.permissions);
  const doLogout = () => logout.mutate();

  return (
    <TerminalsProvider>
      <AppShell
        header={{ height: 56 }}
        navbar={{ width: 230, breakpoint: 'sm', collapsed: { mobile: !mobileOpened, desktop: !desktopOpened } }}
        padding="md"
      >
        <AppShell.Header>
          <Group h="100%" px="md" justify="space-between" wrap="nowrap">
            <Group gap="sm" wrap="nowrap">
              <Burger opened={mobileOpened} onClick={mobile.toggle} hiddenFrom="sm" size="sm" aria-label={t('nav.toggleSidebar')} />
              <UnstyledButton onClick={desktop.toggle} visibleFrom="sm" aria-label={t('nav.toggleSidebar')} className={classes.iconButton}>
                {desktopOpened ? <IconLayoutSidebarLeftCollapse size={20} /> : <IconLayoutSidebarLeftExpand size={20} />}
              </UnstyledButton>
              <Group gap={6} wrap="nowrap">
                <IconServerCog size={24} color="var(--mantine-primary-color-filled)" />
                <Text fw={700} className={classes.brand}>
                  {t('app.name')}
                </Text>
              </Group>
            </Group>
            <UnstyledButton className={classes.search} onClick={() => spotlight.open()} data-testid="search-open">
              <Group gap="xs" wrap="nowrap" justify="space-between">
                <Group gap="xs" wrap="nowrap">
                  <IconSearch size={16} />
                  <Text size="sm" c="dimmed">
                    {t('header.search')}
                  </Text>
                </Group>
                <Kbd size="xs">{t('header.searchHint')}</Kbd>
              </Group>
            </UnstyledButton>
            <Group gap="xs" wrap="nowrap">
              <ThemeToggle />
              <LanguageMenu />
              <UserMenu user={session.user} onChangePassword={passwordModal.open} onLogout={doLogout} />
            </Group>
          </Group>
        </AppShell.Header>
        <AppShell.Navbar p="xs">
          <AppShell.Section grow component={ScrollArea}>
            {items.map((item) => {
              const Icon = item.icon;
              const active = item.path === '/' ? location.pathname === '/' : location.pathname.startsWith(item.path);
              return (
                <NavLink
                  key={item.path}
                  component={RouterNavLink}
                  to={item.path}
                  label={t(item.label)}
                  leftSection={<Icon size={18} stroke={1.6} />}
                  active={active}
                  onClick={mobile.close}
                  data-testid={item.testId}
                />
              );
            })}
          </AppShell.Section>
        </AppShell.Navbar>
        <AppShell.Main>
          <Outlet />
        </AppShell.Main>
        <CommandPalette items={items} onLogout={doLogout} />
        <ChangePasswordModal opened={passwordOpened} onClose={passwordModal.close} username={session.user.username} />
      </AppShell>
    </TerminalsProvider>
  );
}
