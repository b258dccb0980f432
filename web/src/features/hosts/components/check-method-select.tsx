import { Select, type SelectProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { CHECK_METHODS } from '@/api/types';
import type { CheckMethodChoice } from '../lib/validation';

/** default / ping / tcp / ssh; "default" uses the environment's or the global method. */
export function CheckMethodSelect({ value, onChange, ...props }: Omit<SelectProps, 'data' | 'value' | 'onChange'> & { value: CheckMethodChoice; onChange: (v: CheckMethodChoice) => void }) {
  const { t } = useTranslation();
  return (
    <Select
      label={t('hosts.fields.checkMethod')}
      allowDeselect={false}
      data={[{ value: 'default', label: t('hosts.methods.default') }, ...CHECK_METHODS.map((m) => ({ value: m, label: t(`hosts.methods.${m}`) }))]}
      value={value}
      onChange={(v) => onChange((v ?? 'default') as CheckMethodChoice)}
      {...props}
    />
  );
}
