// Unsaved form input that survives the session ending (idle expiry, the server's 401) and a reload: kept in
// sessionStorage under the user and the page's path, restored when the same user signs in again and returns to the
// page (issue 12 §2 "idle expiry that keeps unsaved input safe"). sessionStorage belongs to this tab only and is
// gone when it closes. A draft is dropped when it is saved (clear()), when its user signs out on purpose, when
// another user signs in in this tab (one person's patient notes are not left for the next), and after 12 hours
// (a session's longest life, docs/api.md).
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { onSignedOut, sessionState } from './session';

const PREFIX = 'kclinic.draft:';
export const DRAFT_MAX_AGE_MS = 12 * 60 * 60 * 1000;

interface Stored {
  readonly savedAt: number;
  readonly value: unknown;
}

function storageKey(email: string, path: string, key: string): string {
  return `${PREFIX}${email}:${path}:${key}`;
}

function keys(): string[] {
  const found: string[] = [];
  for (let i = 0; i < sessionStorage.length; i += 1) {
    const name = sessionStorage.key(i);
    if (name?.startsWith(PREFIX)) found.push(name);
  }
  return found;
}

// Drops every draft not of `email` (undefined: every draft) and every draft past its age.
export function dropDrafts(keepEmail?: string): void {
  const now = Date.now();
  for (const name of keys()) {
    let expired = true;
    try {
      const stored = JSON.parse(sessionStorage.getItem(name) ?? '') as Stored;
      expired = now - stored.savedAt > DRAFT_MAX_AGE_MS;
    } catch {
      // Unreadable: dropped.
    }
    const owner = keepEmail !== undefined && name.startsWith(`${PREFIX}${keepEmail}:`);
    if (expired || !owner) sessionStorage.removeItem(name);
  }
}

onSignedOut((user, reason) => {
  if (reason === 'logged_out') {
    for (const name of keys()) if (name.startsWith(`${PREFIX}${user.email}:`)) sessionStorage.removeItem(name);
  }
});

function read<T>(name: string): T | undefined {
  try {
    const raw = sessionStorage.getItem(name);
    if (raw === null) return undefined;
    const stored = JSON.parse(raw) as Stored;
    if (Date.now() - stored.savedAt > DRAFT_MAX_AGE_MS) {
      sessionStorage.removeItem(name);
      return undefined;
    }
    return stored.value as T;
  } catch {
    return undefined;
  }
}

export interface Draft<T> {
  readonly value: T;
  // Whether `value` came back from an earlier, unsaved session.
  readonly restored: boolean;
  readonly set: (value: T) => void;
  // The input was saved (or abandoned on purpose): forget it.
  readonly clear: () => void;
}

// Form state kept as a draft of the signed-in user on the current page. `key` names the form within the page;
// `initial` is its empty state; values must survive JSON (strings, numbers, booleans, arrays, plain objects).
export function useDraft<T>(key: string, initial: T): Draft<T> {
  const email = sessionState().user?.email ?? '';
  const name = storageKey(email, window.location.pathname, key);
  const nameRef = useRef(name);
  const initialRef = useRef(initial);
  const [restoredValue] = useState(() => read<T>(name));
  const [value, setValue] = useState<T>(restoredValue === undefined ? initial : restoredValue);
  useEffect(() => {
    nameRef.current = name;
  }, [name]);

  const set = useCallback((next: T) => {
    setValue(next);
    if (!email) return;
    try {
      sessionStorage.setItem(nameRef.current, JSON.stringify({ savedAt: Date.now(), value: next } satisfies Stored));
    } catch {
      // Storage full or disabled: the input still works, it just is not kept.
    }
  }, [email]);

  const clear = useCallback(() => {
    sessionStorage.removeItem(nameRef.current);
    setValue(initialRef.current);
  }, []);

  return { value, restored: restoredValue !== undefined, set, clear };
}
