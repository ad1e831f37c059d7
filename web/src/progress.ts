// The global progress indicator: any request still unanswered after 300 ms shows it (issue 12 §4 "Anything that
// takes longer than 300 ms shows progress"), so fast answers never flicker it.
export const PROGRESS_DELAY_MS = 300;

let slow = 0;
const listeners = new Set<(busy: boolean) => void>();

function notify(): void {
  for (const listener of listeners) listener(slow > 0);
}

// Marks one request started; call the returned function once when it is answered (or failed).
export function trackRequest(): () => void {
  let shown = false;
  let finished = false;
  const timer = setTimeout(() => {
    shown = true;
    slow += 1;
    notify();
  }, PROGRESS_DELAY_MS);
  return () => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    if (shown) {
      slow -= 1;
      notify();
    }
  };
}

export function isBusy(): boolean {
  return slow > 0;
}

export function onBusyChange(listener: (busy: boolean) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
