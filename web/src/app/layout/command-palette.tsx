import { Spotlight, type SpotlightActionGroupData } from '@mantine/spotlight';
import { IconLanguage, IconLogout, IconPalette, IconSearch, IconTerminal2 } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useToggleColorScheme } from '@/components/layout/use-toggle-color-scheme';
import { LANGUAGES } from '@/i18n';
import { ConnectHostModal } from '@/features/terminal/components/connect-host-modal';
import { usePermission } from '@/lib/auth/use-auth';
import { PERMISSIONS } from '@/lib/permissions';
import type { NavItem } from './nav-items';

/** Ctrl/Cmd+K palette: go to a page, connect to a host, toggle the theme, switch the language, log out. */
export function CommandPalette({ items, onLogout }: { items: NavItem[]; onLogout: () => void }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const toggleScheme = useToggleColorScheme();
  const canConnect = usePermission(PERMISSIONS.terminalOpen);
  const [connecting, setConnecting] = useState(false);

  const actions: SpotlightActionGroupData[] = [
    {
      group: t('spotlight.pages'),
      actions: items.map((item) => {
        const Icon = item.icon;
        return {
          id: `page:${item.path}`,
          label: t(item.label),
          description: t('spotlight.goTo', { page: t(item.label) }),
          leftSection: <Icon size={20} stroke={1.5} />,
          onClick: () => void navigate(item.path),
        };
      }),
    },
    {
      group: t('spotlight.actions'),
      actions: [
        ...(canConnect
          ? [
              {
                id: 'terminal:connect',
                label: t('terminal.connect.action'),
                description: t('terminal.connect.description'),
                leftSection: <IconTerminal2 size={20} stroke={1.5} />,
                onClick: () => setConnecting(true),
              },
            ]
          : []),
        { id: 'theme', label: t('spotlight.toggleTheme'), leftSection: <IconPalette size={20} stroke={1.5} />, onClick: toggleScheme },
        ...LANGUAGES.filter((lng) => lng !== i18n.language).map((lng) => ({
          id: `lang:${lng}`,
          label: t('spotlight.switchLanguage', { language: t(`languages.${lng}`) }),
          leftSection: <IconLanguage size={20} stroke={1.5} />,
          onClick: () => void i18n.changeLanguage(lng),
        })),
        { id: 'logout', label: t('spotlight.logout'), leftSection: <IconLogout size={20} stroke={1.5} />, onClick: onLogout },
      ],
    },
  ];

  return (
    <>
      <Spotlight
        actions={actions}
        shortcut={['mod + K']}
        nothingFound={t('spotlight.nothingFound')}
        highlightQuery
        searchProps={{ leftSection: <IconSearch size={20} stroke={1.5} />, placeholder: t('spotlight.placeholder') }}
      />
      {canConnect ? <ConnectHostModal opened={connecting} onClose={() => setConnecting(false)} /> : null}
    </>
  );
}
