import { Paper, Text } from '@mantine/core';
import { useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { RuleHints } from '@/api/types';
import { suggest, type Completion } from '../../lib/autocomplete';
import { RuleHighlight } from './highlight';
import classes from './rule-editor.module.css';

type Props = {
  value: string;
  onChange: (text: string) => void;
  hints: RuleHints | undefined;
  /** Where the server's parser stopped, as an offset into `value`. */
  errorOffset: number | null;
  readOnly?: boolean;
  placeholder?: string;
};

/** Continuations after which the next suggestions open by themselves. */
const CHAINS = /[.("[]$|== $|!= $/;

/**
 * A monospace textarea over a highlighted copy of the text, with a suggestion list under it:
 * arrows move, Tab or Enter accept, Esc closes, Ctrl+Space opens.
 */
export function RuleTextInput({ value, onChange, hints, errorOffset, readOnly, placeholder }: Props) {
  const { t } = useTranslation();
  const ref = useRef<HTMLTextAreaElement>(null);
  const layer = useRef<HTMLPreElement>(null);
  const pendingCaret = useRef<number | null>(null);
  const [completion, setCompletion] = useState<Completion | null>(null);
  const [active, setActive] = useState(0);
  const open = completion !== null && completion.items.length > 0;

  useLayoutEffect(() => {
    if (pendingCaret.current !== null && ref.current) {
      ref.current.setSelectionRange(pendingCaret.current, pendingCaret.current);
      pendingCaret.current = null;
    }
  }, [value]);

  const showFor = (text: string, caret: number) => {
    const c = suggest(text, caret, hints);
    setCompletion(c.items.length ? c : null);
    setActive(0);
  };

  const accept = (index: number) => {
    const item = completion?.items[index];
    if (!completion || !item) return;
    const next = value.slice(0, completion.from) + item.insert + value.slice(completion.to);
    const caret = completion.from + item.insert.length;
    pendingCaret.current = caret;
    onChange(next);
    if (CHAINS.test(item.insert)) showFor(next, caret);
    else setCompletion(null);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === ' ' && e.ctrlKey) {
      e.preventDefault();
      showFor(value, e.currentTarget.selectionStart);
      return;
    }
    if (!open || !completion) return;
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((a) => (a + 1) % completion.items.length);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => (a - 1 + completion.items.length) % completion.items.length);
    } else if (e.key === 'Enter' || e.key === 'Tab') {
      e.preventDefault();
      accept(active);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      setCompletion(null);
    }
  };

  return (
    <div className={classes.wrap}>
      <pre className={classes.layer} ref={layer} aria-hidden data-testid="rule-highlight">
        <RuleHighlight text={value} errorOffset={errorOffset} />
      </pre>
      <textarea
        ref={ref}
        className={classes.input}
        value={value}
        readOnly={readOnly}
        placeholder={placeholder}
        spellCheck={false}
        autoComplete="off"
        aria-label={t('groups.rule.text')}
        aria-autocomplete="list"
        aria-expanded={open}
        // Esc then closes the suggestions only, not a surrounding modal
        data-mantine-stop-propagation={open ? 'true' : undefined}
        rows={3}
        onChange={(e) => {
          onChange(e.currentTarget.value);
          showFor(e.currentTarget.value, e.currentTarget.selectionStart);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setCompletion(null)}
        onScroll={(e) => {
          if (layer.current) layer.current.scrollTop = e.currentTarget.scrollTop;
        }}
        data-testid="rule-input"
      />
      {open ? (
        <Paper shadow="md" withBorder className={classes.suggestions} role="listbox" data-testid="rule-suggestions">
          {completion.items.map((item, i) => (
            <div
              key={`${item.kind}:${item.label}`}
              role="option"
              aria-selected={i === active}
              className={classes.suggestion}
              // keep the focus in the textarea
              onMouseDown={(e) => {
                e.preventDefault();
                accept(i);
              }}
              data-testid="rule-suggestion"
            >
              {item.label}{' '}
              <Text span size="xs" c="dimmed">
                {t(`groups.rule.suggestionKinds.${item.kind}`)}
              </Text>
            </div>
          ))}
        </Paper>
      ) : null}
    </div>
  );
}
