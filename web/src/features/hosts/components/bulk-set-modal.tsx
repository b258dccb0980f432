import { Button, Checkbox, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { BulkUpdateHostsBody } from '@/api/types';
import { notifyError, notifySuccess } from '@/lib/notify';
import { useBulkUpdateHosts } from '../api/bulk-update-hosts';
import { labelError, normalizeLabel, type CheckMethodChoice } from '../lib/validation';
import { BulkErrors } from './bulk-errors';
import { CheckMethodSelect } from './check-method-select';
import { CredentialSelect } from './credential-select';

/** Sets environment, OS, credential and/or check method on every selected host; only ticked fields change. */
export function BulkSetModal({ ids, onClose }: { ids: string[]; onClose: () => void }) {
  const { t } = useTranslation();
  const update = useBulkUpdateHosts();
  const [on, setOn] = useState({ environment: false, os: false, credential: false, check_method: false });
  const [environment, setEnvironment] = useState('');
  const [os, setOs] = useState('');
  const [credential, setCredential] = useState('');
  const [method, setMethod] = useState<CheckMethodChoice>('default');
  const envError = on.environment ? labelError(t, environment) : null;
  const osError = on.os ? labelError(t, os) : null;
  const nothing = !Object.values(on).some(Boolean);

  const submit = () => {
    if (envError || osError || nothing) return;
    const body: BulkUpdateHostsBody = { ids };
    if (on.environment) body.environment = normalizeLabel(environment);
    if (on.os) body.os = normalizeLabel(os);
    if (on.credential) body.credential = credential;
    if (on.check_method) {
      if (method === 'default') body.clear_check_method = true;
      else body.check_method = method;
    }
    update.mutate(body, {
      onSuccess: (result) => {
        if (!result.applied) return;
        notifySuccess(t('hosts.bulk.updated', { count: ids.length }));
        onClose();
      },
      onError: (err) => notifyError(err),
    });
  };
  const toggle = (key: keyof typeof on) => (e: ChangeEvent<HTMLInputElement>) => {
    const checked = e.currentTarget.checked;
    setOn((o) => ({ ...o, [key]: checked }));
  };

  return (
    <Modal opened onClose={onClose} title={t('hosts.bulk.setTitle', { count: ids.length })} centered>
      <Stack data-testid="bulk-set-form">
        <Checkbox label={t('hosts.bulk.setEnvironment')} checked={on.environment} onChange={toggle('environment')} />
        {on.environment ? <TextInput aria-label={t('hosts.fields.environment')} placeholder={t('hosts.bulk.emptyClears')} value={environment} error={envError} onChange={(e) => setEnvironment(e.currentTarget.value)} /> : null}
        <Checkbox label={t('hosts.bulk.setOs')} checked={on.os} onChange={toggle('os')} />
        {on.os ? <TextInput aria-label={t('hosts.fields.os')} placeholder={t('hosts.bulk.emptyClears')} value={os} error={osError} onChange={(e) => setOs(e.currentTarget.value)} /> : null}
        <Checkbox label={t('hosts.bulk.setCredential')} checked={on.credential} onChange={toggle('credential')} />
        {on.credential ? <CredentialSelect value={credential} onChange={setCredential} /> : null}
        <Checkbox label={t('hosts.bulk.setCheckMethod')} checked={on.check_method} onChange={toggle('check_method')} />
        {on.check_method ? <CheckMethodSelect value={method} onChange={setMethod} /> : null}
        <Text size="xs" c="dimmed">
          {t('hosts.bulk.allOrNothing')}
        </Text>
        {update.data && !update.data.applied ? <BulkErrors result={update.data} /> : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button onClick={submit} disabled={nothing} loading={update.isPending} data-testid="bulk-set-submit">
            {t('hosts.bulk.apply')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
