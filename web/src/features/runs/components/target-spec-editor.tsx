import { Stack } from '@mantine/core';
import { useState } from 'react';
import type { TargetSpec } from '@/api/types';
import { toTargetSpec, type TargetDraft } from '../lib/targets';
import { useTargetPreview } from '../lib/use-target-preview';
import { TargetPreview } from './target-preview';
import { TargetsEditor } from './targets-editor';

/**
 * The targets editor with its live host count, on a plain `TargetSpec` (for other features,
 * through a slot filled in the router). Keeps its own draft so typing is not trimmed mid-word.
 */
export function TargetSpecEditor({ value, onChange, error }: { value: TargetSpec; onChange: (spec: TargetSpec) => void; error?: string | null }) {
  const [draft, setDraft] = useState<TargetDraft>(() => ({ hosts: value.hosts ?? [], hostNames: {}, groups: value.groups ?? [], rule: value.rule ?? '' }));
  const spec = toTargetSpec(draft);
  const preview = useTargetPreview(spec);
  return (
    <Stack gap="sm">
      <TargetsEditor
        draft={draft}
        onChange={(d) => {
          setDraft(d);
          const next = toTargetSpec(d);
          onChange({ hosts: next.hosts ?? [], groups: next.groups ?? [], rule: next.rule ?? null });
        }}
        error={error}
      />
      <TargetPreview preview={preview} />
    </Stack>
  );
}
