// The clinic's "now" for timers (time since the first dose, the earliest discharge): the browser's clock, or, when
// the server runs a test clock (the session's `test_clock` flag, helper web-clock), the server's clock as
// GET /api/v1/test/clock tells it, kept as an offset from the browser's, so a test that moves the server's clock
// moves the timers too. Read again whenever a screen reloads its record (`refreshClinicClock`).
import { useEffect, useState } from 'preact/hooks';
import { get } from '../../api';
import { sessionState } from '../../session';

let offsetMs = 0;
const listeners = new Set<() => void>();

export function clinicNow(): number {
  return Date.now() + offsetMs;
}

export async function refreshClinicClock(): Promise<void> {
  if (!sessionState().testClock) return;
  try {
    const answer = await get<{ now: string }>('/test/clock');
    const now = Date.parse(answer.now);
    if (!Number.isNaN(now)) {
      offsetMs = now - Date.now();
      for (const listener of listeners) listener();
    }
  } catch {
    // The timers then run on the browser's clock; the server still decides every step.
  }
}

// The clinic's now, re-rendering the caller every `everyMs` and when the offset changes.
export function useClinicNow(everyMs = 1000): number {
  const [now, setNow] = useState(clinicNow);
  useEffect(() => {
    const update = (): void => setNow(clinicNow());
    listeners.add(update);
    const timer = setInterval(update, everyMs);
    return () => {
      listeners.delete(update);
      clearInterval(timer);
    };
  }, [everyMs]);
  return now;
}
