import { Alert, Anchor, Badge, Button, FileButton, Group, List, Paper, SegmentedControl, Select, SimpleGrid, Stack, Stepper, Table, Text, Textarea } from '@mantine/core';
import { IconArrowLeft, IconCheck, IconUpload } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { IMPORT_ACTIONS, INVENTORY_FORMATS, type ImportAction, type ImportReport, type InventoryFormat } from '@/api/types';
import { EmptyState } from '@/components/feedback/empty-state';
import { PageHeader } from '@/components/layout/page-header';
import { errorMessage, notifySuccess } from '@/lib/notify';
import { useImportHosts } from '../api/import-hosts';
import { formatFromFileName } from '../lib/import-format';
import { FormatHelp } from './format-help';

const ACTION_COLORS: Record<ImportAction, string> = { create: 'green', update: 'blue', unchanged: 'gray', reject: 'red' };
/** The server takes at most 16 MiB. */
const MAX_BYTES = 16 * 1024 * 1024;

function Summary({ report }: { report: ImportReport }) {
  const { t } = useTranslation();
  return (
    <SimpleGrid cols={{ base: 2, sm: 4 }} data-testid="import-summary">
      {IMPORT_ACTIONS.map((a) => (
        <Paper key={a} withBorder p="sm" radius="md">
          <Text size="xs" c="dimmed">
            {t(`hosts.import.actions.${a}`)}
          </Text>
          <Text fw={700} size="xl" c={ACTION_COLORS[a]} data-testid={`import-count-${a}`}>
            {report.summary[a]}
          </Text>
        </Paper>
      ))}
    </SimpleGrid>
  );
}

function Lines({ report }: { report: ImportReport }) {
  const { t } = useTranslation();
  const [action, setAction] = useState<string>('all');
  const lines = action === 'all' ? report.lines : report.lines.filter((l) => l.action === action);
  return (
    <Stack gap="sm">
      <SegmentedControl
        size="xs"
        value={action}
        onChange={setAction}
        data={[{ value: 'all', label: t('common.all') }, ...IMPORT_ACTIONS.map((a) => ({ value: a, label: `${t(`hosts.import.actions.${a}`)} (${report.summary[a]})` }))]}
        data-testid="import-action-filter"
      />
      {lines.length === 0 ? (
        <EmptyState title={t('hosts.import.noLines')} />
      ) : (
        <Table.ScrollContainer minWidth={700}>
          <Table verticalSpacing="xs" data-testid="import-lines">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={70}>{t('hosts.import.line')}</Table.Th>
                <Table.Th>{t('hosts.fields.name')}</Table.Th>
                <Table.Th>{t('hosts.import.actionColumn')}</Table.Th>
                <Table.Th>{t('hosts.import.details')}</Table.Th>
                <Table.Th>{t('hosts.import.groups')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {lines.map((l) => (
                <Table.Tr key={`${l.line}-${l.name}`} data-testid={`import-line-${l.line}`} data-action={l.action}>
                  <Table.Td>{l.line}</Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {l.name || t('common.none')}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={ACTION_COLORS[l.action]} variant="light">
                      {t(`hosts.import.actions.${l.action}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    {Object.keys(l.errors).length > 0 ? (
                      <List size="sm">
                        {Object.entries(l.errors).map(([field, msg]) => (
                          <List.Item key={field} c="red">
                            <Text span fw={600} size="sm">
                              {field}
                            </Text>
                            : {msg}
                          </List.Item>
                        ))}
                      </List>
                    ) : l.changes.length > 0 ? (
                      <Text size="sm">{t('hosts.import.changes', { fields: l.changes.join(', ') })}</Text>
                    ) : (
                      <Text size="sm" c="dimmed">
                        {t('common.none')}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {l.groups.map((g) => (
                        <Badge key={g} size="sm" variant="outline" color="gray" tt="none">
                          {g}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

/** Step 1: paste or upload; step 2: dry-run preview; step 3: apply and show the result. */
export function ImportPage() {
  const { t } = useTranslation();
  const run = useImportHosts();
  const [step, setStep] = useState(0);
  const [format, setFormat] = useState<InventoryFormat>('csv');
  const [content, setContent] = useState('');
  const [fileError, setFileError] = useState<string | null>(null);
  const [preview, setPreview] = useState<ImportReport | null>(null);
  const [result, setResult] = useState<ImportReport | null>(null);

  const onFile = async (file: File | null) => {
    if (!file) return;
    if (file.size > MAX_BYTES) {
      setFileError(t('hosts.import.tooLarge'));
      return;
    }
    setFileError(null);
    const detected = formatFromFileName(file.name);
    if (detected) setFormat(detected);
    setContent(await file.text());
  };

  const doPreview = () =>
    run.mutate(
      { format, content, dry_run: true },
      {
        onSuccess: (report) => {
          setPreview(report);
          setStep(1);
        },
      },
    );
  const doImport = () =>
    run.mutate(
      { format, content, dry_run: false },
      {
        onSuccess: (report) => {
          setResult(report);
          setStep(2);
          notifySuccess(t('hosts.import.done', { count: report.summary.create + report.summary.update }));
        },
      },
    );
  const restart = () => {
    setStep(0);
    setPreview(null);
    setResult(null);
    run.reset();
  };
  const acceptable = preview ? preview.summary.create + preview.summary.update : 0;

  return (
    <>
      <Anchor component={Link} to="/hosts" size="sm" mb="xs" display="inline-flex" style={{ alignItems: 'center', gap: 4 }}>
        <IconArrowLeft size={14} /> {t('hosts.backToList')}
      </Anchor>
      <PageHeader title={t('hosts.import.title')} />
      <Paper withBorder p="md" radius="md">
        <Stepper active={step} size="sm" mb="lg" allowNextStepsSelect={false} onStepClick={(s) => s < step && step < 2 && setStep(s)}>
          <Stepper.Step label={t('hosts.import.stepSource')} />
          <Stepper.Step label={t('hosts.import.stepPreview')} />
          <Stepper.Step label={t('hosts.import.stepDone')} />
        </Stepper>
        {run.isError ? (
          <Alert color="red" mb="md" data-testid="import-error">
            {errorMessage(run.error)}
          </Alert>
        ) : null}
        {step === 0 ? (
          <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
            <Stack>
              <Group align="flex-end">
                <Select
                  label={t('hosts.import.format')}
                  data={INVENTORY_FORMATS.map((f) => ({ value: f, label: t(`hosts.formats.${f}`) }))}
                  value={format}
                  allowDeselect={false}
                  onChange={(v) => setFormat((v ?? 'csv') as InventoryFormat)}
                  w={220}
                  data-testid="import-format"
                />
                <FileButton onChange={(f) => void onFile(f)} accept=".csv,.json,.yaml,.yml,.ini,.cfg,text/*">
                  {(props) => (
                    <Button variant="default" leftSection={<IconUpload size={16} />} {...props} data-testid="import-upload">
                      {t('hosts.import.upload')}
                    </Button>
                  )}
                </FileButton>
              </Group>
              <Textarea
                label={t('hosts.import.content')}
                description={t('hosts.import.contentHint')}
                autosize
                minRows={12}
                maxRows={24}
                value={content}
                error={fileError}
                onChange={(e) => setContent(e.currentTarget.value)}
                styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
                data-testid="import-content"
              />
              <Group justify="flex-end">
                <Button onClick={doPreview} disabled={!content.trim()} loading={run.isPending} data-testid="import-preview">
                  {t('hosts.import.preview')}
                </Button>
              </Group>
            </Stack>
            <Stack gap="xs">
              <Text fw={600}>{t('hosts.import.helpTitle')}</Text>
              <FormatHelp />
            </Stack>
          </SimpleGrid>
        ) : null}
        {step === 1 && preview ? (
          <Stack>
            <Summary report={preview} />
            <Lines report={preview} />
            {preview.summary.reject > 0 ? (
              <Alert color="yellow" variant="light">
                {t('hosts.import.rejectNote', { count: preview.summary.reject })}
              </Alert>
            ) : null}
            <Group justify="space-between">
              <Button variant="default" onClick={() => setStep(0)}>
                {t('hosts.import.back')}
              </Button>
              <Button onClick={doImport} disabled={acceptable === 0} loading={run.isPending} data-testid="import-apply">
                {t('hosts.import.apply', { count: acceptable })}
              </Button>
            </Group>
          </Stack>
        ) : null}
        {step === 2 && result ? (
          <Stack data-testid="import-result">
            <Alert color="green" icon={<IconCheck />}>
              {t('hosts.import.done', { count: result.summary.create + result.summary.update })}
            </Alert>
            <Summary report={result} />
            <Lines report={result} />
            <Group justify="space-between">
              <Button variant="default" onClick={restart}>
                {t('hosts.import.another')}
              </Button>
              <Button component={Link} to="/hosts" data-testid="import-to-list">
                {t('hosts.import.toList')}
              </Button>
            </Group>
          </Stack>
        ) : null}
      </Paper>
    </>
  );
}
