import { ActionIcon, Button, Group, Switch, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconChevronDown, IconChevronUp, IconDownload, IconSearch } from '@tabler/icons-react';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ansiCss, parseAnsi, stripAnsi } from '@/lib/ansi';
import { notifyError } from '@/lib/notify';
import { useDownloadRunFile } from '../api/download-run-file';
import { LOG_LINE_HEIGHT, LOG_VIEW_HEIGHT as VIEW_HEIGHT, visibleRange } from '../lib/log-window';
import type { OutputBuffer, OutputLine } from '../lib/output';

/** Wraps case-insensitive occurrences of `needle` in <mark>. */
function highlight(text: string, needle: string, key: string): ReactNode {
  if (!needle) return text;
  const lower = text.toLowerCase();
  const out: ReactNode[] = [];
  let from = 0;
  for (let at = lower.indexOf(needle, from); at !== -1; at = lower.indexOf(needle, from)) {
    if (at > from) out.push(text.slice(from, at));
    out.push(
      <mark key={`${key}-${at}`} data-testid="log-match">
        {text.slice(at, at + needle.length)}
      </mark>,
    );
    from = at + needle.length;
  }
  if (from === 0) return text;
  out.push(text.slice(from));
  return out;
}

function LogLine({ line, needle, top, current }: { line: OutputLine; needle: string; top: number; current: boolean }) {
  const { spans } = parseAnsi(line.text);
  return (
    <div
      data-testid="log-line"
      data-stream={line.stream}
      style={{
        position: 'absolute',
        top,
        left: 0,
        right: 0,
        height: LOG_LINE_HEIGHT,
        whiteSpace: 'pre',
        color: line.stream === 'err' ? 'var(--mantine-color-red-5)' : line.stream === 'sys' ? 'var(--mantine-color-dimmed)' : undefined,
        fontStyle: line.stream === 'sys' ? 'italic' : undefined,
        background: current ? 'var(--mantine-color-yellow-light)' : undefined,
      }}
    >
      {spans.length === 0
        ? ' '
        : spans.map((s, i) => (
            <span key={i} style={ansiCss(s.style)}>
              {highlight(s.text, needle, String(i))}
            </span>
          ))}
    </div>
  );
}

/**
 * A playbook run's log with ANSI colours: only the lines in view are rendered (fixed line
 * height), so it stays smooth at 100,000 lines. Follow keeps the tail in view; search highlights
 * matches and steps through them.
 */
export function PlaybookLog({ runId, output, version }: { runId: string; output: OutputBuffer; version: number }) {
  const { t } = useTranslation();
  const box = useRef<HTMLDivElement>(null);
  const frame = useRef<number | null>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [follow, setFollow] = useState(true);
  const [query, setQuery] = useState('');
  const [debounced] = useDebouncedValue(query.trim().toLowerCase(), 200);
  const [current, setCurrent] = useState(0);
  const download = useDownloadRunFile();
  const lines = output.lines;
  const total = lines.length;

  // `version` changes whenever the (mutable) buffer does.
  const matches = useMemo(() => {
    if (!debounced) return [];
    const found: number[] = [];
    for (let i = 0; i < lines.length; i++) if (stripAnsi(lines[i]?.text ?? '').toLowerCase().includes(debounced)) found.push(i);
    return found;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [lines, version, debounced]);

  useEffect(() => {
    const el = box.current;
    if (!follow || !el) return;
    el.scrollTop = total * LOG_LINE_HEIGHT;
    setScrollTop(el.scrollTop);
  }, [follow, total, version]);

  const jump = (index: number) => {
    if (matches.length === 0) return;
    const i = ((index % matches.length) + matches.length) % matches.length;
    setCurrent(i);
    setFollow(false);
    const el = box.current;
    const top = Math.max(0, (matches[i] ?? 0) * LOG_LINE_HEIGHT - VIEW_HEIGHT / 2);
    if (el) el.scrollTop = top;
    setScrollTop(top);
  };

  const { first, last } = visibleRange(scrollTop, total);
  const currentLine = matches.length ? matches[Math.min(current, matches.length - 1)] : -1;
  const rendered: ReactNode[] = [];
  for (let i = first; i < last; i++) {
    const line = lines[i];
    if (line) rendered.push(<LogLine key={line.key} line={line} needle={debounced} top={i * LOG_LINE_HEIGHT} current={i === currentLine} />);
  }

  return (
    <div>
      <Group justify="space-between" mb="xs" wrap="wrap">
        <Group gap={4}>
          <TextInput
            size="xs"
            w={240}
            leftSection={<IconSearch size={14} />}
            placeholder={t('runs.playbook.search')}
            aria-label={t('runs.playbook.search')}
            value={query}
            onChange={(e) => {
              setQuery(e.currentTarget.value);
              setCurrent(0);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') jump(e.shiftKey ? current - 1 : current + 1);
            }}
            data-testid="log-search"
          />
          <ActionIcon variant="subtle" aria-label={t('runs.playbook.prev')} onClick={() => jump(current - 1)} disabled={!matches.length} data-testid="log-prev">
            <IconChevronUp size={16} />
          </ActionIcon>
          <ActionIcon variant="subtle" aria-label={t('runs.playbook.next')} onClick={() => jump(current + 1)} disabled={!matches.length} data-testid="log-next">
            <IconChevronDown size={16} />
          </ActionIcon>
          {debounced ? (
            <Text size="xs" c="dimmed" data-testid="log-match-count">
              {matches.length ? t('runs.playbook.matches', { current: Math.min(current, matches.length - 1) + 1, total: matches.length }) : t('runs.playbook.noMatches')}
            </Text>
          ) : null}
        </Group>
        <Group gap="sm">
          <Text size="xs" c="dimmed">
            {t('runs.playbook.lines', { count: total })}
          </Text>
          <Switch size="sm" label={t('runs.playbook.follow')} checked={follow} onChange={(e) => setFollow(e.currentTarget.checked)} data-testid="log-follow" />
          <Button
            size="xs"
            variant="default"
            leftSection={<IconDownload size={14} />}
            loading={download.isPending}
            onClick={() => download.mutate({ id: runId }, { onError: (err) => notifyError(err) })}
            data-testid="log-download"
          >
            {t('runs.playbook.download')}
          </Button>
        </Group>
      </Group>
      <div
        ref={box}
        data-testid="playbook-log"
        data-lines={total}
        onWheel={(e) => {
          if (e.deltaY < 0 && follow) setFollow(false);
        }}
        onScroll={(e) => {
          const top = e.currentTarget.scrollTop;
          if (frame.current !== null) return;
          frame.current = requestAnimationFrame(() => {
            frame.current = null;
            setScrollTop(top);
          });
        }}
        style={{
          position: 'relative',
          height: VIEW_HEIGHT,
          overflow: 'auto',
          fontFamily: 'var(--mantine-font-family-monospace)',
          fontSize: 12,
          lineHeight: `${LOG_LINE_HEIGHT}px`,
          padding: '0 8px',
          borderRadius: 'var(--mantine-radius-sm)',
          background: 'var(--mantine-color-default-hover)',
        }}
      >
        {total === 0 ? (
          <Text size="sm" c="dimmed" p={8} data-testid="log-empty">
            {t('runs.playbook.noOutput')}
          </Text>
        ) : (
          <div style={{ position: 'relative', height: total * LOG_LINE_HEIGHT, minWidth: '100%', width: 'max-content' }}>{rendered}</div>
        )}
      </div>
    </div>
  );
}
