import { Accordion, Code, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { INVENTORY_FORMATS } from '@/api/types';
import { FORMAT_EXAMPLES } from '../lib/import-format';

export function FormatHelp() {
  const { t } = useTranslation();
  return (
    <Accordion variant="contained" data-testid="format-help">
      {INVENTORY_FORMATS.map((f) => (
        <Accordion.Item key={f} value={f}>
          <Accordion.Control>{t(`hosts.formats.${f}`)}</Accordion.Control>
          <Accordion.Panel>
            <Text size="sm" mb="xs">
              {t(`hosts.import.help.${f}`)}
            </Text>
            <Code block>{FORMAT_EXAMPLES[f]}</Code>
          </Accordion.Panel>
        </Accordion.Item>
      ))}
    </Accordion>
  );
}
