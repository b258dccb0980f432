import { Group, Pagination, Select, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

const PAGE_SIZES = [10, 25, 50, 100];

export function PaginationBar({
  total,
  limit,
  offset,
  onChange,
}: {
  total: number;
  limit: number;
  offset: number;
  onChange: (next: { limit: number; offset: number }) => void;
}) {
  const { t } = useTranslation();
  const pages = Math.max(1, Math.ceil(total / limit));
  const page = Math.floor(offset / limit) + 1;
  return (
    <Group justify="space-between" mt="md" wrap="wrap">
      <Text size="sm" c="dimmed" data-testid="pagination-total">
        {t('common.total', { count: total })}
      </Text>
      <Group gap="sm">
        <Select
          aria-label={t('common.pageSize')}
          w={90}
          size="xs"
          data={PAGE_SIZES.map(String)}
          value={String(limit)}
          allowDeselect={false}
          onChange={(v) => onChange({ limit: Number(v ?? limit), offset: 0 })}
        />
        <Pagination size="sm" total={pages} value={page} onChange={(p) => onChange({ limit, offset: (p - 1) * limit })} />
      </Group>
    </Group>
  );
}
