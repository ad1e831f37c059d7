// The live channel (docs/api.md "Live channel"): one WebSocket to /api/v1/live per tab, opened while some screen
// watches a topic (the clinic board, or one treatment session). It reconnects by itself with a growing, jittered
// delay (0.5 s doubling to 15 s) and tells the screen it reconnected, because delivery is at most once: after a gap
// the screen reads the record again through the API (the record, not the channel, is the truth). The status is
// shown to the user (LiveStatus in layout.tsx): a lost connection is never silent.
import { useEffect, useState } from 'preact/hooks';
import { request } from './api';

export type LiveTopic = 'board' | { readonly session_id: number };

export type LiveEventType =
  | 'vital_sign'
  | 'assessment'
  | 'alert'
  | 'alert_acknowledged'
  | 'session_state'
  | 'administration'
  | 'prn_dose'
  | 'count_discrepancy';

export interface LiveEvent {
  readonly type: LiveEventType;
  readonly patient_id: number;
  readonly session_id?: number;
  readonly record: Record<string, unknown>;
}

// idle: no screen watches anything; open: subscribed; connecting: the first attempt; reconnecting: lost, retrying.
export type LiveStatus = 'idle' | 'connecting' | 'open' | 'reconnecting';

export interface LiveHandlers {
  readonly onEvent: (event: LiveEvent) => void;
  // The subscription (re)started after a gap: read the record again.
  readonly onResync?: () => void;
  // The server refused the subscription (no permission, no such session): the API's message.
  readonly onError?: (error: { code: string; message: string; field?: string }) => void;
}

const BACKOFF_FIRST_MS = 500;
const BACKOFF_MAX_MS = 15_000;

let socket: WebSocket | undefined;
let topic: LiveTopic | undefined;
let handlers: LiveHandlers | undefined;
let status: LiveStatus = 'idle';
let attempt = 0;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let retryAt: number | undefined;
let everOpened = false;
const statusListeners = new Set<() => void>();

function setStatus(next: LiveStatus): void {
  status = next;
  for (const listener of statusListeners) listener();
}

function liveUrl(): string {
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${window.location.host}/api/v1/live`;
}

function scheduleReconnect(): void {
  if (!topic || retryTimer !== undefined) return;
  const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** attempt);
  const jittered = delay / 2 + Math.random() * (delay / 2);
  attempt += 1;
  retryAt = Date.now() + jittered;
  setStatus('reconnecting');
  retryTimer = setTimeout(() => {
    retryTimer = undefined;
    retryAt = undefined;
    // After a few failures, ask the API whether the session is still valid: an upgrade refused 401 looks like any
    // other failure to a WebSocket, and a 401 here sends the user to the login page (api.ts).
    if (attempt >= 3) {
      void request('GET', '/auth/me', { background: true })
        .then(connect)
        .catch(() => scheduleReconnect());
    } else {
      connect();
    }
  }, jittered);
}

function connect(): void {
  if (!topic) return;
  const ws = new WebSocket(liveUrl());
  socket = ws;
  if (!everOpened) setStatus('connecting');
  ws.onopen = () => {
    ws.send(JSON.stringify({ subscribe: topic }));
  };
  ws.onmessage = (message: MessageEvent<string>) => {
    let data: { type?: string; error?: { code: string; message: string; field?: string } };
    try {
      data = JSON.parse(message.data) as typeof data;
    } catch {
      return;
    }
    if (data.type === 'subscribed') {
      const gap = everOpened;
      everOpened = true;
      attempt = 0;
      setStatus('open');
      if (gap) handlers?.onResync?.();
    } else if (data.type === 'error' && data.error) {
      handlers?.onError?.(data.error);
    } else if (data.type === 'unsubscribed') {
      // Our own unsubscribe; the socket closes next.
    } else if (data.type) {
      handlers?.onEvent(data as unknown as LiveEvent);
    }
  };
  ws.onclose = () => {
    if (socket !== ws) return;
    socket = undefined;
    scheduleReconnect();
  };
}

function stop(): void {
  topic = undefined;
  handlers = undefined;
  if (retryTimer !== undefined) clearTimeout(retryTimer);
  retryTimer = undefined;
  retryAt = undefined;
  attempt = 0;
  everOpened = false;
  const ws = socket;
  socket = undefined;
  ws?.close(1000);
  setStatus('idle');
}

function sameTopic(a: LiveTopic | undefined, b: LiveTopic): boolean {
  if (a === undefined) return false;
  if (a === 'board' || b === 'board') return a === b;
  return a.session_id === b.session_id;
}

// Watches `topic` for as long as the caller stays mounted; one topic per tab at a time (the channel's rule), the
// latest caller's. Pass a stable `handlers` object (useMemo/useRef) or the subscription restarts each render.
export function useLiveTopic(next: LiveTopic | null, nextHandlers: LiveHandlers): void {
  const key = next === null ? '' : next === 'board' ? 'board' : `session:${next.session_id}`;
  useEffect(() => {
    if (next === null) return undefined;
    handlers = nextHandlers;
    if (!sameTopic(topic, next)) {
      topic = next;
      if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ subscribe: next }));
      else if (!socket && retryTimer === undefined) connect();
    }
    return () => {
      if (handlers === nextHandlers) stop();
    };
    // `key` names the topic; handlers are the caller's stable object.
  }, [key, nextHandlers]);
}

// Ends the channel (sign-out).
export function closeLive(): void {
  stop();
}

export interface LiveStatusView {
  readonly status: LiveStatus;
  // When the next reconnection attempt starts, while reconnecting.
  readonly retryAt: number | undefined;
}

export function useLiveStatus(): LiveStatusView {
  const [view, setView] = useState<LiveStatusView>({ status, retryAt });
  useEffect(() => {
    const update = (): void => setView({ status, retryAt });
    statusListeners.add(update);
    update();
    return () => {
      statusListeners.delete(update);
    };
  }, []);
  return view;
}
