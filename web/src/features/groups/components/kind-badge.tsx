import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { GroupKind } from '@/api/types';

export function KindBadge({ kind }: { kind: GroupKind }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={kind === 'dynamic' ? 'grape' : 'blue'} data-testid="group-kind" data-kind={kind}>
      {t(`groups.kinds.${kind}`)}
    </Badge>
  );
}
