import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export function MembershipChangeBadge({ change }: { change: string }) {
  const { t } = useTranslation();
  const joined = change === 'joined';
  return (
    <Badge size="sm" variant="light" color={joined ? 'green' : 'orange'} data-testid="membership-change" data-change={change}>
      {joined ? t('groups.history.joined') : change === 'left' ? t('groups.history.left') : change}
    </Badge>
  );
}
