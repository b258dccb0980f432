import { ActionIcon, Tooltip, useComputedColorScheme } from '@mantine/core';
import { IconMoon, IconSun } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useToggleColorScheme } from './use-toggle-color-scheme';

export function ThemeToggle() {
  const { t } = useTranslation();
  const toggle = useToggleColorScheme();
  const computed = useComputedColorScheme('light', { getInitialValueInEffect: false });
  return (
    <Tooltip label={t('header.theme')}>
      <ActionIcon variant="default" size="lg" onClick={toggle} aria-label={t('header.theme')} data-testid="theme-toggle">
        {computed === 'dark' ? <IconSun size={18} /> : <IconMoon size={18} />}
      </ActionIcon>
    </Tooltip>
  );
}
