import { Box, Group, SegmentedControl, Switch, Text } from '@mantine/core';
import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { linePrefix, prefixWidth, visibleLines, type OutputBuffer, type OutputLine } from '../lib/output';

type Props = {
  output: OutputBuffer;
  /** Bumped when the buffer changed. */
  version: number;
  names: ReadonlyMap<string, string>;
  view: 'merged' | 'host';
  onView: (v: 'merged' | 'host') => void;
  /** The host of the per-host view. */
  hostId: string | null;
  follow: boolean;
  onFollow: (f: boolean) => void;
};

const COLORS: Record<OutputLine['stream'], string | undefined> = {
  out: undefined,
  err: 'var(--mantine-color-red-5)',
  sys: 'var(--mantine-color-dimmed)',
};

/**
 * The run's output: merged (each line prefixed with its host) or one host's. Renders at most
 * the newest {@link MAX_RENDERED_LINES} lines of the view so huge outputs stay responsive.
 */
export function RunOutput({ output, version, names, view, onView, hostId, follow, onFollow }: Props) {
  const { t } = useTranslation();
  const box = useRef<HTMLDivElement>(null);
  const merged = view === 'merged';
  // `version` changes whenever the (mutable) buffer does.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const { lines, hidden } = useMemo(() => visibleLines(output.lines, merged ? null : hostId), [output, version, merged, hostId]);
  const width = prefixWidth(names);

  useEffect(() => {
    const el = box.current;
    if (follow && el) el.scrollTop = el.scrollHeight;
  }, [follow, lines]);

  return (
    <div>
      <Group justify="space-between" mb="xs">
        <SegmentedControl
          size="xs"
          value={view}
          onChange={(v) => onView(v === 'host' ? 'host' : 'merged')}
          data={[
            { value: 'merged', label: t('runs.detail.merged') },
            { value: 'host', label: hostId ? `${t('runs.detail.perHost')}: ${names.get(hostId) ?? ''}` : t('runs.detail.perHost') },
          ]}
          data-testid="output-view"
        />
        <Switch size="sm" label={t('runs.detail.followTail')} checked={follow} onChange={(e) => onFollow(e.currentTarget.checked)} data-testid="output-follow" />
      </Group>
      <Box
        ref={box}
        data-testid="run-output"
        onWheel={(e) => {
          if (e.deltaY < 0 && follow) onFollow(false);
        }}
        style={{
          fontFamily: 'var(--mantine-font-family-monospace)',
          fontSize: 12,
          lineHeight: 1.45,
          whiteSpace: 'pre-wrap',
          wordBreak: 'break-all',
          maxHeight: 520,
          minHeight: 160,
          overflow: 'auto',
          padding: 8,
          borderRadius: 'var(--mantine-radius-sm)',
          background: 'var(--mantine-color-default-hover)',
        }}
      >
        {output.dropped > 0 ? (
          <Text size="xs" c="dimmed" fs="italic">
            {t('runs.detail.droppedLines', { count: output.dropped })}
          </Text>
        ) : null}
        {hidden > 0 ? (
          <Text size="xs" c="dimmed" fs="italic" data-testid="output-hidden">
            {t('runs.detail.hiddenLines', { count: hidden })}
          </Text>
        ) : null}
        {!merged && !hostId ? (
          <Text size="sm" c="dimmed">
            {t('runs.detail.selectHost')}
          </Text>
        ) : lines.length === 0 ? (
          <Text size="sm" c="dimmed" data-testid="output-empty">
            {t('runs.detail.noOutput')}
          </Text>
        ) : (
          lines.map((l) => (
            <div key={l.key} data-stream={l.stream} style={{ color: COLORS[l.stream], fontStyle: l.stream === 'sys' ? 'italic' : undefined }}>
              {merged ? <span style={{ color: 'var(--mantine-color-dimmed)' }}>{linePrefix(l, names, width)}</span> : null}
              {l.text || ' '}
            </div>
          ))
        )}
      </Box>
    </div>
  );
}
