import type { XtermSession } from './xterm-session';

/** The open terminals of this page, in tab order; they outlive the views that show them. */
export class TerminalsStore {
  private sessions: readonly XtermSession[] = [];
  private readonly listeners = new Set<() => void>();

  getSnapshot = (): readonly XtermSession[] => this.sessions;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  get(id: string): XtermSession | undefined {
    return this.sessions.find((s) => s.session.id === id);
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  add(session: XtermSession): void {
    this.set([...this.sessions, session]);
  }

  /** Disposes a terminal and drops its tab (the server session is left alone). */
  remove(id: string): void {
    const s = this.get(id);
    if (!s) return;
    s.dispose();
    this.set(this.sessions.filter((x) => x !== s));
  }

  disposeAll(): void {
    for (const s of this.sessions) s.dispose();
    this.set([]);
  }

  private set(next: readonly XtermSession[]): void {
    this.sessions = next;
    for (const l of this.listeners) l();
  }
}
