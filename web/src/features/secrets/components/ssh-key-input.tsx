import { FileInput, PasswordInput, SegmentedControl, Stack, Text, Textarea } from '@mantine/core';
import { IconKey } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_SSH_KEY_BYTES } from '../lib/validation';
import { SSH_KEY_SOURCES, type SshKeySource, type ValueInputProps } from '../lib/value-draft';

const MONO = { input: { fontFamily: 'var(--mantine-font-family-monospace)' } };

/** A private key, pasted or read from a key file, with its passphrase; or a key pair generated on the server. */
export function SshKeyInput({ draft, errors, onChange, onError }: ValueInputProps) {
  const { t } = useTranslation();
  // Only for showing which file was read; the key itself is in `draft.value`.
  const [keyFile, setKeyFile] = useState<File | null>(null);

  const pick = async (file: File | null) => {
    setKeyFile(null);
    onChange({ value: '' });
    if (!file) return;
    if (file.size > MAX_SSH_KEY_BYTES) {
      onError('value', t('secrets.validation.valueTooLarge', { size: '16 KiB' }));
      return;
    }
    try {
      const text = await file.text();
      setKeyFile(file);
      onChange({ value: text });
    } catch {
      onError('value', t('secrets.validation.readFailed'));
    }
  };

  return (
    <Stack gap="sm">
      <Stack gap={4}>
        <Text size="sm" fw={500}>
          {t('secrets.fields.keySource')}
        </Text>
        <SegmentedControl
          aria-label={t('secrets.fields.keySource')}
          data={SSH_KEY_SOURCES.map((s) => ({ value: s, label: t(`secrets.keySources.${s}`) }))}
          value={draft.key_source}
          onChange={(s) => {
            setKeyFile(null);
            onChange({ key_source: s as SshKeySource, value: '', passphrase: '' });
          }}
          data-testid="ssh-key-source"
        />
      </Stack>
      {draft.key_source === 'generate' ? (
        <Text size="sm" c="dimmed" data-testid="ssh-key-generate-hint">
          {t('secrets.hints.generate')}
        </Text>
      ) : (
        <>
          {draft.key_source === 'upload' ? (
            <FileInput
              label={t('secrets.fields.keyFile')}
              description={t('secrets.hints.keyFile')}
              placeholder={t('secrets.placeholders.keyFile')}
              required
              clearable
              leftSection={<IconKey size={16} />}
              value={keyFile}
              onChange={(f) => void pick(f)}
              error={errors.value}
              data-testid="ssh-key-file"
            />
          ) : (
            <Textarea
              label={t('secrets.fields.privateKey')}
              description={t('secrets.hints.privateKey')}
              placeholder="-----BEGIN OPENSSH PRIVATE KEY-----"
              required
              autosize
              minRows={6}
              maxRows={14}
              name="value"
              autoComplete="off"
              spellCheck={false}
              styles={MONO}
              value={draft.value}
              error={errors.value}
              onChange={(e) => onChange({ value: e.currentTarget.value })}
              data-testid="secret-value"
            />
          )}
          <PasswordInput
            label={t('secrets.fields.passphrase')}
            description={t('secrets.hints.passphrase')}
            name="passphrase"
            autoComplete="new-password"
            spellCheck={false}
            value={draft.passphrase}
            error={errors.passphrase}
            onChange={(e) => onChange({ passphrase: e.currentTarget.value })}
            data-testid="ssh-key-passphrase"
          />
        </>
      )}
      {errors.generate ? (
        <Text size="sm" c="red">
          {errors.generate}
        </Text>
      ) : null}
    </Stack>
  );
}
