import { Avatar, Box, Group, Menu, Text, UnstyledButton } from '@mantine/core';
import { IconApi, IconChevronDown, IconDeviceDesktop, IconKey, IconLock, IconLogout } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { User } from '@/api/types';

export function UserMenu({ user, onChangePassword, onLogout }: { user: User; onChangePassword: () => void; onLogout: () => void }) {
  const { t } = useTranslation();
  const initials = (user.display_name || user.username).slice(0, 2).toUpperCase();
  return (
    <Menu position="bottom-end" width={220} withinPortal>
      <Menu.Target>
        <UnstyledButton aria-label={t('header.userMenu')} data-testid="user-menu">
          <Group gap={8} wrap="nowrap">
            <Avatar radius="xl" size={30} color="indigo">
              {initials}
            </Avatar>
            <Box visibleFrom="sm" style={{ lineHeight: 1 }}>
              <Text size="sm" fw={500}>
                {user.display_name || user.username}
              </Text>
              <Text size="xs" c="dimmed">
                {t(`roles.${user.role}`)}
              </Text>
            </Box>
            <IconChevronDown size={14} />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{user.username}</Menu.Label>
        <Menu.Item leftSection={<IconLock size={16} />} onClick={onChangePassword}>
          {t('header.changePassword')}
        </Menu.Item>
        <Menu.Item leftSection={<IconDeviceDesktop size={16} />} component={Link} to="/sessions">
          {t('header.mySessions')}
        </Menu.Item>
        <Menu.Item leftSection={<IconKey size={16} />} component={Link} to="/tokens">
          {t('header.myTokens')}
        </Menu.Item>
        <Menu.Item leftSection={<IconApi size={16} />} component="a" href="/api/docs" target="_blank" rel="noopener">
          {t('nav.apiDocs')}
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item color="red" leftSection={<IconLogout size={16} />} onClick={onLogout} data-testid="logout">
          {t('header.logout')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
