import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SecretKind } from '@/api/types';

const KIND_COLORS: Record<SecretKind, string> = {
  text: 'gray',
  password: 'blue',
  token: 'violet',
  ssh_key: 'teal',
  ssh_credential: 'cyan',
  file: 'grape',
};

export function KindBadge({ kind }: { kind: SecretKind }) {
  const { t } = useTranslation();
  return (
    <Badge color={KIND_COLORS[kind]} variant="light">
      {t(`secrets.kinds.${kind}`)}
    </Badge>
  );
}
