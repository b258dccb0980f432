import { createContext, useContext } from 'react';
import type { XtermSession } from './xterm-session';

/** What opening a terminal came to. */
export type OpenOutcome = { kind: 'opened'; id: string } | { kind: 'cancelled' } | { kind: 'failed'; error: unknown };

export interface HostRef {
  id: string;
  name: string;
}

export interface TerminalsContextValue {
  /** Whether the user may open terminals. */
  enabled: boolean;
  sessions: readonly XtermSession[];
  /** The tab list is being restored from the server after a reload. */
  restoring: boolean;
  /** Hosts with an open request in flight. */
  pendingHosts: ReadonlySet<string>;
  /** Opens a terminal, asking about an unknown host key and explaining a changed one. */
  openForHost: (host: HostRef) => Promise<OpenOutcome>;
  /** Ends the session on the server and closes its tab. */
  end: (id: string) => Promise<void>;
  /** Closes the tab of an ended session. */
  forget: (id: string) => void;
}

export const TerminalsContext = createContext<TerminalsContextValue | null>(null);

export function useTerminals(): TerminalsContextValue {
  const ctx = useContext(TerminalsContext);
  if (!ctx) throw new Error('useTerminals needs a TerminalsProvider');
  return ctx;
}
