// Idle expiry. The server ends a browser session after 30 minutes without a request (docs/api.md
// "Authentication"); the app ends it itself a minute earlier when the person has not touched the page, warning two
// minutes before, so a workstation left alone is signed out and the form it showed is kept as a draft (draft.ts).
// While the person works (keys, pointer, touch), a background keep-alive at most once a minute keeps the server's
// session in step, so typing a long note without a request does not end it.
import { useEffect, useRef, useState } from 'preact/hooks';
import { lastServerAnswerAt, request } from './api';
import { expire } from './session';

export const SERVER_IDLE_TIMEOUT_MS = 30 * 60 * 1000;
// The app's own limit: a margin under the server's so the server never ends the session first.
export const IDLE_LIMIT_MS = SERVER_IDLE_TIMEOUT_MS - 60 * 1000;
export const IDLE_WARNING_MS = 2 * 60 * 1000;
const KEEP_ALIVE_AFTER_MS = 60 * 1000;
const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'wheel', 'touchstart'] as const;

export interface IdleState {
  // Milliseconds left before the app signs out; shown as a warning when under IDLE_WARNING_MS.
  readonly remainingMs: number;
  readonly warning: boolean;
  // The person is still there: count from now, and tell the server.
  readonly stay: () => void;
}

function keepAlive(): void {
  void request('GET', '/auth/me', { background: true }).catch(() => {
    // A 401 already sent the user to the login page (api.ts); a network error is shown by the next real request.
  });
}

// Runs while a user is signed in (the authenticated layout).
export function useIdleExpiry(): IdleState {
  const latest = useRef(Date.now());
  const [lastActivity, setLastActivity] = useState(latest.current);
  const [now, setNow] = useState(latest.current);

  useEffect(() => {
    const touched = (): void => {
      const at = Date.now();
      latest.current = at;
      setLastActivity(at);
      if (at - lastServerAnswerAt() > KEEP_ALIVE_AFTER_MS) keepAlive();
    };
    for (const name of ACTIVITY_EVENTS) window.addEventListener(name, touched, { passive: true, capture: true });
    const tick = setInterval(() => {
      const at = Date.now();
      setNow(at);
      if (at - latest.current >= IDLE_LIMIT_MS) void expire('idle');
    }, 1000);
    return () => {
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, touched, { capture: true });
      clearInterval(tick);
    };
  }, []);

  const remainingMs = Math.max(0, lastActivity + IDLE_LIMIT_MS - now);
  return {
    remainingMs,
    warning: remainingMs <= IDLE_WARNING_MS,
    stay: () => {
      const at = Date.now();
      latest.current = at;
      setLastActivity(at);
      setNow(at);
      keepAlive();
    },
  };
}
