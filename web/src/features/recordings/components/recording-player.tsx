import { ActionIcon, Group, SegmentedControl, Slider, Stack, Text } from '@mantine/core';
import { IconPlayerPause, IconPlayerPlay } from '@tabler/icons-react';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { eventIndexAfter, formatClock, framesUntil, SEEK_STEP, seekMax, seekTarget, type Asciicast } from '../lib/asciicast';

const SPEEDS = ['1', '2', '4'] as const;

/**
 * Plays an asciicast in a read-only xterm.js terminal sized to the recording's header.
 * Seeking resets the terminal and writes all output up to the chosen time.
 * Mount it with `key={recordingId}` so each recording starts from a fresh state.
 */
export function RecordingPlayer({ cast }: { cast: Asciicast }) {
  const { t } = useTranslation();
  const containerRef = useRef<HTMLDivElement>(null);
  const termRef = useRef<Terminal | null>(null);
  /** Playback position in seconds and the index of the next event to write. */
  const posRef = useRef(0);
  const nextRef = useRef(0);
  const [time, setTime] = useState(0);
  const [dragTime, setDragTime] = useState<number | null>(null);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState<(typeof SPEEDS)[number]>('1');
  const duration = cast.duration;
  const sliderMax = seekMax(duration);

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const term = new Terminal({
      cols: cast.width,
      rows: cast.height,
      disableStdin: true,
      cursorBlink: false,
      scrollback: 1000,
      fontSize: 13,
      fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
      theme: { background: '#1a1b1e' },
    });
    term.open(container);
    termRef.current = term;
    posRef.current = 0;
    nextRef.current = 0;
    return () => {
      termRef.current = null;
      term.dispose();
    };
  }, [cast]);

  const seek = useCallback(
    (target: number) => {
      const term = termRef.current;
      const to = Math.min(Math.max(0, target), duration);
      if (term) {
        const { output, size } = framesUntil(cast.events, to);
        term.reset();
        const cols = size?.cols ?? cast.width;
        const rows = size?.rows ?? cast.height;
        if (term.cols !== cols || term.rows !== rows) term.resize(cols, rows);
        if (output) term.write(output);
      }
      posRef.current = to;
      nextRef.current = eventIndexAfter(cast.events, to);
      setTime(to);
    },
    [cast, duration],
  );

  useEffect(() => {
    if (!playing) return;
    const rate = Number(speed);
    let raf = 0;
    let last = performance.now();
    const tick = (now: number) => {
      const term = termRef.current;
      const target = Math.min(duration, posRef.current + ((now - last) / 1000) * rate);
      last = now;
      let i = nextRef.current;
      let out = '';
      for (let e = cast.events[i]; e && e.time <= target; e = cast.events[++i]) {
        if (e.type === 'o') {
          out += e.data;
        } else if (term) {
          if (out) term.write(out);
          out = '';
          term.resize(e.cols, e.rows);
        }
      }
      if (out && term) term.write(out);
      nextRef.current = i;
      posRef.current = target;
      setTime(target);
      if (target >= duration) {
        setPlaying(false);
        return;
      }
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf);
  }, [playing, speed, cast, duration]);

  const togglePlay = () => {
    if (playing) {
      setPlaying(false);
      return;
    }
    if (posRef.current >= duration) seek(0);
    setPlaying(true);
  };

  const shown = dragTime ?? time;
  return (
    <Stack gap="sm" data-testid="recording-player">
      <div style={{ overflow: 'auto', maxWidth: '100%', background: '#1a1b1e', padding: 4, borderRadius: 4 }}>
        <div ref={containerRef} data-testid="recording-terminal" />
      </div>
      <Group gap="sm" wrap="nowrap">
        <ActionIcon
          variant="filled"
          size="lg"
          onClick={togglePlay}
          disabled={cast.events.length === 0}
          aria-label={playing ? t('recordings.pause') : t('recordings.play')}
          data-testid="recording-play"
        >
          {playing ? <IconPlayerPause size={18} /> : <IconPlayerPlay size={18} />}
        </ActionIcon>
        <Slider
          style={{ flex: 1 }}
          min={0}
          max={sliderMax}
          step={SEEK_STEP}
          value={Math.min(shown, sliderMax)}
          label={(v) => formatClock(v)}
          onChange={setDragTime}
          onChangeEnd={(v) => {
            setDragTime(null);
            seek(seekTarget(v, duration));
          }}
          disabled={duration <= 0}
          aria-label={t('recordings.seek')}
          data-testid="recording-seek"
        />
        <Text size="sm" ff="monospace" style={{ whiteSpace: 'nowrap' }} data-testid="recording-time">
          {formatClock(shown)} / {formatClock(duration)}
        </Text>
        <SegmentedControl
          size="xs"
          value={speed}
          onChange={(v) => setSpeed(v as (typeof SPEEDS)[number])}
          data={SPEEDS.map((s) => ({ value: s, label: `${s}×` }))}
          aria-label={t('recordings.speed')}
          data-testid="recording-speed"
        />
      </Group>
    </Stack>
  );
}
