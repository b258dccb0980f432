import { ActionIcon, Alert, Box, Button, Group, Modal, Paper, Stack, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { useFullscreen } from '@mantine/hooks';
import {
  IconArrowDown,
  IconArrowUp,
  IconClipboard,
  IconCopy,
  IconMaximize,
  IconMinimize,
  IconPlayerStop,
  IconSearch,
  IconTextDecrease,
  IconTextIncrease,
  IconX,
} from '@tabler/icons-react';
import { useCallback, useEffect, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { notifyError, notifySuccess } from '@/lib/notify';
import { isMultiLine, lineCount } from '../lib/paste';
import { clampFontSize, loadFontSize, saveFontSize } from '../lib/prefs';
import { useTerminals } from '../lib/terminals-context';
import type { XtermSession } from '../lib/xterm-session';
import { TerminalStatusPill } from './terminal-status';

const BACKGROUND = '#1a1b1e';

function SearchBar({ xs, onClose }: { xs: XtermSession; onClose: () => void }) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const [missing, setMissing] = useState(false);
  const find = (forward: boolean, incremental = false) => {
    if (!query) return;
    const ok = forward ? xs.search.findNext(query, { incremental }) : xs.search.findPrevious(query);
    setMissing(!ok);
  };
  const close = () => {
    xs.search.clearDecorations();
    xs.term.clearSelection();
    onClose();
    xs.focus();
  };
  return (
    <Group gap={4} wrap="nowrap" data-testid="terminal-search">
      <TextInput
        size="xs"
        autoFocus
        placeholder={t('terminal.search.placeholder')}
        aria-label={t('terminal.search.placeholder')}
        value={query}
        error={missing ? t('terminal.search.notFound') : undefined}
        onChange={(e) => {
          setQuery(e.currentTarget.value);
          setMissing(false);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') find(!e.shiftKey);
          if (e.key === 'Escape') close();
        }}
        data-testid="terminal-search-input"
      />
      <ActionIcon variant="subtle" aria-label={t('terminal.search.previous')} onClick={() => find(false)}>
        <IconArrowUp size={16} />
      </ActionIcon>
      <ActionIcon variant="subtle" aria-label={t('terminal.search.next')} onClick={() => find(true)}>
        <IconArrowDown size={16} />
      </ActionIcon>
      <ActionIcon variant="subtle" aria-label={t('terminal.search.close')} onClick={close}>
        <IconX size={16} />
      </ActionIcon>
    </Group>
  );
}

function ToolButton({ label, onClick, children, testId }: { label: string; onClick: () => void; children: ReactNode; testId?: string }) {
  return (
    <Tooltip label={label} withinPortal>
      <ActionIcon variant="subtle" color="gray" aria-label={label} onClick={onClick} data-testid={testId}>
        {children}
      </ActionIcon>
    </Tooltip>
  );
}

/**
 * Shows one open terminal: the xterm screen (re-fitted as its box changes), a toolbar with the
 * connection state, search, copy and paste, font size and full screen, and an overlay once the
 * session ended or the connection was given up.
 */
export function TerminalView({ xs, height, onReopened }: { xs: XtermSession; height: string; onReopened?: (id: string) => void }) {
  const { t } = useTranslation();
  const terminals = useTerminals();
  const containerRef = useRef<HTMLDivElement>(null);
  const snapshot = useSyncExternalStore(xs.client.subscribe, xs.client.getSnapshot, xs.client.getSnapshot);
  const [searching, setSearching] = useState(false);
  const [fontSize, setFontSize] = useState(loadFontSize);
  const [pasteText, setPasteText] = useState<string | null>(null);
  const [reopening, setReopening] = useState(false);
  const { ref: fullscreenRef, toggle: toggleFullscreen, fullscreen } = useFullscreen<HTMLDivElement>();
  const { session } = xs;
  const status = snapshot.status;

  useEffect(() => {
    const el = containerRef.current;
    if (!el) return;
    xs.mount(el);
    xs.focus();
    let frame = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => xs.fit());
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      cancelAnimationFrame(frame);
      xs.unmount();
    };
  }, [xs]);

  useEffect(() => {
    if (xs.term.options.fontSize !== fontSize) xs.setFontSize(fontSize);
  }, [xs, fontSize]);

  const copy = useCallback(async () => {
    const selection = xs.term.getSelection();
    if (!selection) {
      notifyError(new Error(t('terminal.nothingSelected')));
      return;
    }
    try {
      await navigator.clipboard.writeText(selection);
      notifySuccess(t('terminal.copied'));
    } catch {
      notifyError(new Error(t('terminal.clipboardDenied')));
    }
  }, [xs, t]);

  const paste = useCallback(
    (text: string) => {
      if (isMultiLine(text)) setPasteText(text);
      else xs.term.paste(text);
    },
    [xs],
  );

  const pasteFromClipboard = async () => {
    try {
      const text = await navigator.clipboard.readText();
      if (text) paste(text);
    } catch {
      notifyError(new Error(t('terminal.clipboardDenied')));
    }
  };

  useEffect(
    () =>
      xs.setHandlers({
        paste,
        shortcut: (ev) => {
          if (!ev.ctrlKey || !ev.shiftKey) return false;
          if (ev.code === 'KeyF') {
            setSearching(true);
            return true;
          }
          if (ev.code === 'KeyC') {
            void copy();
            return true;
          }
          return false;
        },
      }),
    [xs, paste, copy],
  );

  const changeFont = (delta: number) => {
    const next = clampFontSize(fontSize + delta);
    setFontSize(next);
    saveFontSize(next);
  };

  const reopen = async () => {
    setReopening(true);
    const outcome = await terminals.openForHost({ id: session.host_id, name: session.host_name });
    setReopening(false);
    if (outcome.kind !== 'opened') return;
    onReopened?.(outcome.id);
    terminals.forget(session.id);
  };

  const over = status.kind === 'ended' || status.kind === 'disconnected';

  return (
    <Box
      ref={fullscreenRef}
      style={{ display: 'flex', flexDirection: 'column', height: fullscreen ? '100vh' : height, minHeight: 240, background: 'var(--mantine-color-body)' }}
      data-testid="terminal-view"
      data-session-id={session.id}
      data-status={status.kind}
    >
      <Group justify="space-between" gap="xs" py={4} px={fullscreen ? 'xs' : 0} wrap="nowrap">
        <Group gap="xs" wrap="nowrap" miw={0}>
          <Text size="sm" ff="monospace" truncate>
            {t('terminal.login', { login: session.login, host: session.host_name })}
          </Text>
          <TerminalStatusPill snapshot={snapshot} />
        </Group>
        <Group gap={2} wrap="nowrap">
          {searching ? <SearchBar xs={xs} onClose={() => setSearching(false)} /> : null}
          <ToolButton label={t('terminal.toolbar.search')} onClick={() => setSearching((v) => !v)} testId="terminal-search-toggle">
            <IconSearch size={16} />
          </ToolButton>
          <ToolButton label={t('terminal.toolbar.copy')} onClick={() => void copy()}>
            <IconCopy size={16} />
          </ToolButton>
          <ToolButton label={t('terminal.toolbar.paste')} onClick={() => void pasteFromClipboard()}>
            <IconClipboard size={16} />
          </ToolButton>
          <ToolButton label={t('terminal.toolbar.fontSmaller')} onClick={() => changeFont(-1)} testId="terminal-font-smaller">
            <IconTextDecrease size={16} />
          </ToolButton>
          <ToolButton label={t('terminal.toolbar.fontBigger')} onClick={() => changeFont(1)} testId="terminal-font-bigger">
            <IconTextIncrease size={16} />
          </ToolButton>
          <ToolButton label={fullscreen ? t('terminal.toolbar.exitFullscreen') : t('terminal.toolbar.fullscreen')} onClick={() => void toggleFullscreen()}>
            {fullscreen ? <IconMinimize size={16} /> : <IconMaximize size={16} />}
          </ToolButton>
          {!over ? (
            <ToolButton label={t('terminal.endSession')} onClick={() => void terminals.end(session.id)} testId="terminal-end">
              <IconPlayerStop size={16} />
            </ToolButton>
          ) : null}
        </Group>
      </Group>
      {snapshot.notice && !over ? (
        <Alert color="yellow" variant="light" py={4} mb={4} data-testid="terminal-notice">
          {t(snapshot.notice.kind === 'idle' ? 'terminal.notice.idle' : 'terminal.notice.maxDuration', {
            time: new Date(snapshot.notice.at).toLocaleTimeString(),
          })}
        </Alert>
      ) : null}
      <Box pos="relative" style={{ flex: 1, minHeight: 0, background: BACKGROUND, borderRadius: fullscreen ? 0 : 6, padding: 4 }}>
        <div ref={containerRef} style={{ width: '100%', height: '100%' }} data-testid="terminal-screen" />
        {over ? (
          <Box pos="absolute" inset={0} style={{ display: 'flex', alignItems: 'center', justifyContent: 'center', background: 'rgba(0, 0, 0, 0.55)' }}>
            <Paper p="lg" radius="md" withBorder maw={420} data-testid="terminal-overlay">
              <Stack gap="sm" align="center">
                <Title order={4}>{status.kind === 'ended' ? t('terminal.overlay.ended') : t('terminal.overlay.disconnected')}</Title>
                {status.kind === 'ended' ? (
                  <Text size="sm" ta="center">
                    {status.reason}
                    {status.exitStatus !== null ? ` · ${t('terminal.overlay.exitStatus', { status: status.exitStatus })}` : ''}
                  </Text>
                ) : status.error ? (
                  <Text size="sm" ta="center">
                    {status.error}
                  </Text>
                ) : null}
                <Group>
                  {status.kind === 'disconnected' ? (
                    <Button onClick={() => xs.client.reconnect()} data-testid="terminal-reconnect">
                      {t('terminal.reconnect')}
                    </Button>
                  ) : null}
                  <Button variant={status.kind === 'disconnected' ? 'default' : 'filled'} loading={reopening} onClick={() => void reopen()} data-testid="terminal-open-again">
                    {t('terminal.openAgain')}
                  </Button>
                </Group>
              </Stack>
            </Paper>
          </Box>
        ) : null}
      </Box>
      {pasteText !== null ? (
        <Modal opened onClose={() => setPasteText(null)} title={t('terminal.paste.title', { count: lineCount(pasteText) })} centered size="lg">
          <Stack>
            <Text size="sm">{t('terminal.paste.body', { host: session.host_name })}</Text>
            <Box component="pre" p="xs" mah={240} style={{ overflow: 'auto', fontSize: 12, background: 'var(--mantine-color-default-hover)', borderRadius: 4 }}>
              {pasteText}
            </Box>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setPasteText(null)}>
                {t('common.cancel')}
              </Button>
              <Button
                onClick={() => {
                  xs.term.paste(pasteText);
                  setPasteText(null);
                  xs.focus();
                }}
                data-testid="terminal-paste-confirm"
              >
                {t('terminal.paste.confirm')}
              </Button>
            </Group>
          </Stack>
        </Modal>
      ) : null}
    </Box>
  );
}
