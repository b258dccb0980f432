import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { HostKeyPrompt, TerminalSession } from '@/api/types';
import { isApiError } from '@/lib/api-error';
import { usePermission } from '@/lib/auth/use-auth';
import { errorMessage, notifyError } from '@/lib/notify';
import { PERMISSIONS } from '@/lib/permissions';
import { closeTerminal } from '../api/close-terminal';
import { terminalKeys } from '../api/keys';
import { listTerminals } from '../api/list-terminals';
import { openTerminal } from '../api/open-terminal';
import { reattachTerminal } from '../api/reattach-terminal';
import { TerminalsContext, type HostRef, type OpenOutcome, type TerminalsContextValue } from '../lib/terminals-context';
import { TerminalsStore } from '../lib/terminals-store';
import { OPEN_SIZE, XtermSession } from '../lib/xterm-session';
import { HostKeyChangedDialog } from './host-key-changed-dialog';
import { HostKeyDialog } from './host-key-dialog';

type Prompt = { host: HostRef; prompt: HostKeyPrompt; answer: (accepted: boolean) => void };
type Changed = { host: HostRef; message: string };

/** A 409 on open that is about the host key (the API has no code of its own for it yet). */
function isHostKeyChanged(e: unknown): boolean {
  return isApiError(e) && e.code === 'host_key_changed';
}

/**
 * Holds the user's open terminals for as long as the app layout lives, so sessions stay connected
 * while the user moves between pages; restores the tabs from the server after a reload; runs the
 * open flow with its host-key dialogs for every place that opens terminals.
 */
export function TerminalsProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const enabled = usePermission(PERMISSIONS.terminalOpen);
  const queryClient = useQueryClient();
  const [store] = useState(() => new TerminalsStore());
  const sessions = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
  // Until the first restore is done, views wait rather than open a second session for a host.
  const [restoring, setRestoring] = useState(enabled);
  const [pendingHosts, setPendingHosts] = useState<ReadonlySet<string>>(new Set());
  const [prompt, setPrompt] = useState<Prompt | null>(null);
  const [changed, setChanged] = useState<Changed | null>(null);
  const inFlight = useRef(new Map<string, Promise<OpenOutcome>>());
  const mounts = useRef(0);

  const create = useCallback(
    (session: TerminalSession) => {
      if (store.has(session.id)) return;
      store.add(
        new XtermSession(session, {
          ticket: session.ticket ?? null,
          fetchTicket: reattachTerminal,
          // Gone (404) or over (409): no point in retrying.
          ticketFailureIsFinal: (e) => (isApiError(e) && (e.status === 404 || e.status === 409) ? e.message || t('terminal.sessionGone') : null),
          gapNotice: (bytes) => t('terminal.gap', { bytes }),
        }),
      );
    },
    [store, t],
  );

  // Terminals end with the layout (logout); a StrictMode re-mount keeps them.
  useEffect(() => {
    mounts.current += 1;
    return () => {
      mounts.current -= 1;
      setTimeout(() => {
        if (mounts.current === 0) store.disposeAll();
      }, 0);
    };
  }, [store]);

  const restored = useRef(false);
  useEffect(() => {
    if (!enabled || restored.current) return;
    restored.current = true;
    setRestoring(true);
    queryClient
      .fetchQuery({ queryKey: terminalKeys.sessions(), queryFn: listTerminals, staleTime: 0 })
      .then((list) => list.forEach(create))
      .catch((e: unknown) => notifyError(e))
      .finally(() => setRestoring(false));
  }, [enabled, queryClient, create]);

  const askHostKey = useCallback(
    (host: HostRef, p: HostKeyPrompt) =>
      new Promise<boolean>((resolve) =>
        setPrompt({
          host,
          prompt: p,
          answer: (accepted) => {
            setPrompt(null);
            resolve(accepted);
          },
        }),
      ),
    [],
  );

  const run = useCallback(
    async (host: HostRef): Promise<OpenOutcome> => {
      let accept: string | undefined;
      for (;;) {
        try {
          const r = await openTerminal({ host_id: host.id, ...OPEN_SIZE, accept_host_key: accept });
          if (r.kind === 'opened') {
            create(r.session);
            return { kind: 'opened', id: r.session.id };
          }
          if (accept !== undefined || !(await askHostKey(host, r.prompt))) return { kind: 'cancelled' };
          accept = r.prompt.fingerprint;
        } catch (e) {
          if (isHostKeyChanged(e)) setChanged({ host, message: errorMessage(e) });
          else notifyError(e, t('terminal.failed'));
          return { kind: 'failed', error: e };
        }
      }
    },
    [askHostKey, create, t],
  );

  const openForHost = useCallback(
    (host: HostRef): Promise<OpenOutcome> => {
      const running = inFlight.current.get(host.id);
      if (running) return running;
      const p = run(host).finally(() => {
        inFlight.current.delete(host.id);
        setPendingHosts(new Set(inFlight.current.keys()));
      });
      inFlight.current.set(host.id, p);
      setPendingHosts(new Set(inFlight.current.keys()));
      return p;
    },
    [run],
  );

  const end = useCallback(
    async (id: string) => {
      const s = store.get(id);
      if (s && s.client.getSnapshot().status.kind !== 'ended') {
        try {
          await closeTerminal(id);
        } catch (e) {
          if (!(isApiError(e) && e.status === 404)) {
            notifyError(e);
            return;
          }
        }
      }
      store.remove(id);
    },
    [store],
  );

  const forget = useCallback((id: string) => store.remove(id), [store]);

  const value = useMemo<TerminalsContextValue>(
    () => ({ enabled, sessions, restoring, pendingHosts, openForHost, end, forget }),
    [enabled, sessions, restoring, pendingHosts, openForHost, end, forget],
  );

  return (
    <TerminalsContext.Provider value={value}>
      {children}
      {prompt ? (
        <HostKeyDialog hostName={prompt.host.name} prompt={prompt.prompt} onAccept={() => prompt.answer(true)} onCancel={() => prompt.answer(false)} />
      ) : null}
      {changed ? (
        <HostKeyChangedDialog
          host={changed.host}
          message={changed.message}
          onClose={() => setChanged(null)}
          onAccepted={() => {
            setChanged(null);
            void openForHost(changed.host);
          }}
        />
      ) : null}
    </TerminalsContext.Provider>
  );
}
