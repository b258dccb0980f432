import type { ReactNode } from 'react';
import { tokenize } from '../../lib/tokenizer';
import classes from './rule-editor.module.css';

/**
 * The coloured copy of the rule drawn behind the transparent textarea; the character at
 * `errorOffset` (or a blank at the end) is underlined.
 */
export function RuleHighlight({ text, errorOffset }: { text: string; errorOffset: number | null }) {
  const out: ReactNode[] = [];
  for (const token of tokenize(text)) {
    const cls = token.type === 'space' || token.type === 'ident' ? undefined : classes[token.type];
    if (errorOffset !== null && errorOffset >= token.start && errorOffset < token.end) {
      const at = errorOffset - token.start;
      const before = token.text.slice(0, at);
      const mark = token.text.slice(at, at + 1);
      const after = token.text.slice(at + 1);
      out.push(
        <span key={token.start} className={cls} data-token={token.type}>
          {before}
          <span className={classes.errorMark} data-testid="rule-error-marker" data-offset={errorOffset}>
            {mark === '\n' ? ' \n' : mark}
          </span>
          {after}
        </span>,
      );
    } else {
      out.push(
        <span key={token.start} className={cls} data-token={token.type}>
          {token.text}
        </span>,
      );
    }
  }
  if (errorOffset !== null && errorOffset >= text.length) {
    out.push(
      <span key="eof" className={classes.errorMark} data-testid="rule-error-marker" data-offset={errorOffset}>
        {' '}
      </span>,
    );
  }
  // a trailing newline needs a character after it to take up a line in the <pre>
  out.push(<span key="end">{'\n'}</span>);
  return <>{out}</>;
}
