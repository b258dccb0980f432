import { FileInput, Stack, Text } from '@mantine/core';
import { IconFile } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { base64DecodedLength, bytesToBase64 } from '@/lib/base64';
import { formatBytes } from '@/lib/format';
import { fileSizeError, MAX_FILE_BYTES } from '../lib/validation';
import type { ValueInputProps } from '../lib/value-draft';

/** A file of at most 1 MiB, read in the browser and sent base64-encoded with its name. */
export function FileSecretInput({ draft, errors, onChange, onError }: ValueInputProps) {
  const { t } = useTranslation();
  // Only for the input's label; the content is in `draft.value`.
  const [file, setFile] = useState<File | null>(null);

  const pick = async (picked: File | null) => {
    setFile(null);
    onChange({ value: '', file_name: '' });
    if (!picked) return;
    // Refused before reading: a large file is never loaded into memory.
    const tooLarge = fileSizeError(t, picked.size);
    if (tooLarge) {
      onError('value', tooLarge);
      return;
    }
    try {
      const content = bytesToBase64(new Uint8Array(await picked.arrayBuffer()));
      setFile(picked);
      onChange({ value: content, file_name: picked.name });
    } catch {
      onError('value', t('secrets.validation.readFailed'));
    }
  };

  return (
    <Stack gap={4}>
      <FileInput
        label={t('secrets.fields.file')}
        description={t('secrets.hints.file', { max: formatBytes(MAX_FILE_BYTES) })}
        placeholder={t('secrets.placeholders.file')}
        required
        clearable
        leftSection={<IconFile size={16} />}
        value={file}
        onChange={(f) => void pick(f)}
        error={errors.value ?? errors.file_name}
        data-testid="secret-file"
      />
      {draft.value ? (
        <Text size="xs" c="dimmed" data-testid="secret-file-chosen">
          {t('secrets.summary.file', { name: draft.file_name, size: formatBytes(base64DecodedLength(draft.value)) })}
        </Text>
      ) : null}
    </Stack>
  );
}
