// An xterm.js terminal bound to a TerminalClient. It outlives the React views that show it: the
// terminal is opened once into an element of its own, which views move in and out of their
// container, so a session keeps its screen and connection while the user browses other pages.
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { WebglAddon } from '@xterm/addon-webgl';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import type { TerminalSession } from '@/api/types';
import { loadFontSize, preferredRenderer } from './prefs';
import { TerminalClient, type TerminalClientOptions } from './terminal-client';

export const OPEN_SIZE = { cols: 80, rows: 24 };

export interface XtermSessionOptions {
  ticket: string | null;
  fetchTicket: TerminalClientOptions['fetchTicket'];
  ticketFailureIsFinal: TerminalClientOptions['ticketFailureIsFinal'];
  gapNotice: (bytes: number) => string;
}

function wsUrl(): string {
  return `${window.location.origin.replace(/^http/, 'ws')}/api/v1/terminal/ws`;
}

export class XtermSession {
  readonly session: TerminalSession;
  readonly term: Terminal;
  readonly client: TerminalClient;
  readonly search: SearchAddon;
  readonly element: HTMLDivElement;
  /** The renderer in use, once opened. */
  renderer: 'webgl' | 'dom' | null = null;
  /** Pasted text goes here first (the view confirms multi-line pastes). */
  private onPaste: (text: string) => void = (text) => this.term.paste(text);
  /** Key shortcuts the view handles (search, copy); true when handled. */
  private onShortcut: (ev: KeyboardEvent) => boolean = () => false;
  private readonly fitAddon: FitAddon;
  private opened = false;

  constructor(session: TerminalSession, opts: XtermSessionOptions) {
    this.session = session;
    this.term = new Terminal({
      ...OPEN_SIZE,
      fontSize: loadFontSize(),
      fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
      cursorBlink: true,
      scrollback: 5000,
      theme: { background: '#1a1b1e' },
    });
    this.fitAddon = new FitAddon();
    this.search = new SearchAddon();
    this.term.loadAddon(this.fitAddon);
    this.term.loadAddon(this.search);
    this.element = document.createElement('div');
    this.element.className = 'itmgr-xterm';
    this.element.style.width = '100%';
    this.element.style.height = '100%';
    this.element.dataset.sessionId = session.id;
    // Pastes arrive as DOM events on xterm's textarea; catch them first to confirm multi-line ones.
    this.element.addEventListener(
      'paste',
      (ev) => {
        const text = ev.clipboardData?.getData('text/plain') ?? '';
        ev.preventDefault();
        ev.stopImmediatePropagation();
        if (text) this.onPaste(text);
      },
      true,
    );
    this.term.attachCustomKeyEventHandler((ev) => !(ev.type === 'keydown' && this.onShortcut(ev)));
    this.client = new TerminalClient({
      sessionId: session.id,
      url: wsUrl(),
      ticket: opts.ticket,
      fetchTicket: opts.fetchTicket,
      ticketFailureIsFinal: opts.ticketFailureIsFinal,
      size: opts.ticket ? OPEN_SIZE : null,
      gapNotice: opts.gapNotice,
      sink: { write: (data, rendered) => this.term.write(data, rendered) },
    });
    this.term.onData((d) => this.client.send(d));
    this.term.onBinary((d) => this.client.send(Uint8Array.from(d, (c) => c.charCodeAt(0) & 0xff)));
    this.term.onResize(({ cols, rows }) => this.client.resize(cols, rows));
    this.client.connect();
  }

  /** Shows the terminal in `container` (opening it on first use). */
  mount(container: HTMLElement): void {
    container.appendChild(this.element);
    if (!this.opened) {
      this.term.open(this.element);
      this.opened = true;
      this.renderer = preferredRenderer() === 'webgl' && this.loadWebgl() ? 'webgl' : 'dom';
      this.element.dataset.renderer = this.renderer;
    }
    this.fit();
    this.term.refresh(0, this.term.rows - 1);
  }

  /** The view showing the terminal handles pastes and its shortcuts; returns the reset. */
  setHandlers(h: { paste: (text: string) => void; shortcut: (ev: KeyboardEvent) => boolean }): () => void {
    this.onPaste = h.paste;
    this.onShortcut = h.shortcut;
    return () => {
      this.onPaste = (text) => this.term.paste(text);
      this.onShortcut = () => false;
    };
  }

  /** Takes the terminal off the page; it keeps running. */
  unmount(): void {
    this.element.remove();
  }

  fit(): void {
    if (!this.opened || !this.element.isConnected) return;
    try {
      this.fitAddon.fit();
    } catch {
      // not measurable while hidden
    }
    // The server's PTY follows even when the size did not change since opening.
    this.client.resize(this.term.cols, this.term.rows);
  }

  setFontSize(size: number): void {
    this.term.options.fontSize = size;
    this.fit();
  }

  focus(): void {
    this.term.focus();
  }

  dispose(): void {
    this.client.dispose();
    this.term.dispose();
    this.element.remove();
  }

  /** WebGL when the browser can; otherwise xterm's DOM renderer stays in place. */
  private loadWebgl(): boolean {
    try {
      const webgl = new WebglAddon();
      webgl.onContextLoss(() => {
        webgl.dispose();
        this.renderer = 'dom';
        this.element.dataset.renderer = 'dom';
      });
      this.term.loadAddon(webgl);
      return true;
    } catch {
      return false;
    }
  }
}
