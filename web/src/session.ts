// Who is signed in: the browser session of docs/api.md "Authentication". The cookie is HttpOnly, so after a reload
// the app asks GET /api/v1/auth/me for the user and the CSRF token again. Also loads what every screen needs of the
// clinic: its time zone (the `clinic.time_zone` setting, for roles that may read settings) and whether the server
// runs a test clock (the `test_clock` flag, shown as a banner).
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, request, setCsrfToken, setUnauthenticatedHandler } from './api';
import { isRole, may, type Role } from './access';
import { setClinicTimeZone } from './format';
import { navigate } from './router';

export interface User {
  readonly email: string;
  readonly role: Role;
  readonly auth: 'session' | 'api_token';
  // For role `patient`: their own record.
  readonly patient_id?: number;
  // Signed in by password while the role requires a second factor not yet set up: the session may only set it up
  // (docs/api.md "Logging in with a second factor").
  readonly enrolmentRequired: boolean;
}

// Why there is no session: shown on the login page.
export type SignedOutReason = 'none' | 'expired' | 'idle' | 'logged_out';

export interface SessionState {
  // `loading` until GET /api/v1/auth/me has answered once; `unreachable` while it cannot (retried).
  readonly status: 'loading' | 'unreachable' | 'signed_in' | 'signed_out';
  readonly user: User | null;
  readonly reason: SignedOutReason;
  // The server's test clock is on (helper web-clock's `test_clock` flag): time is simulated.
  readonly testClock: boolean;
  // The absolute end of the session (login's `expires_at`), when known.
  readonly expiresAt: number | undefined;
}

let state: SessionState = {
  status: 'loading',
  user: null,
  reason: 'none',
  testClock: false,
  expiresAt: undefined,
};
const listeners = new Set<(next: SessionState) => void>();
const signOutListeners = new Set<(user: User, reason: SignedOutReason) => void>();

function update(next: Partial<SessionState>): void {
  state = { ...state, ...next };
  for (const listener of listeners) listener(state);
}

export function sessionState(): SessionState {
  return state;
}

export function useSession(): SessionState {
  const [value, setValue] = useState(state);
  useEffect(() => {
    listeners.add(setValue);
    setValue(state);
    return () => {
      listeners.delete(setValue);
    };
  }, []);
  return value;
}

// Called with the user whose session just ended (logout, expiry), before the state changes: drafts and the live
// channel clean up here.
export function onSignedOut(listener: (user: User, reason: SignedOutReason) => void): () => void {
  signOutListeners.add(listener);
  return () => signOutListeners.delete(listener);
}

interface UserJson {
  email?: unknown;
  role?: unknown;
  auth?: unknown;
  patient_id?: unknown;
  second_factor_enrolment_required?: unknown;
}

interface SessionJson {
  user?: UserJson;
  csrf_token?: unknown;
  expires_at?: unknown;
  test_clock?: unknown;
}

function userOf(json: UserJson | undefined): User {
  if (!json || typeof json.email !== 'string' || !isRole(json.role)) {
    throw new ApiError(200, 'unexpected', 'the server sent no user');
  }
  return {
    email: json.email,
    role: json.role,
    auth: json.auth === 'api_token' ? 'api_token' : 'session',
    ...(typeof json.patient_id === 'number' ? { patient_id: json.patient_id } : {}),
    enrolmentRequired: json.second_factor_enrolment_required === true,
  };
}

interface SettingsJson {
  settings: { name: string; value: unknown }[];
}

// The clinic's time zone, for roles that may read the settings; others keep the browser's zone (format.ts).
async function loadClinic(user: User): Promise<void> {
  if (!may(user.role, 'settings.read') || user.enrolmentRequired) return;
  try {
    const settings = await get<SettingsJson>('/settings');
    const zone = settings.settings.find((s) => s.name === 'clinic.time_zone')?.value;
    if (typeof zone === 'string') setClinicTimeZone(zone);
  } catch {
    // Times then show in the browser's zone; the screens still work.
  }
}

async function signIn(json: SessionJson): Promise<User> {
  const user = userOf(json.user);
  setCsrfToken(typeof json.csrf_token === 'string' ? json.csrf_token : undefined);
  await loadClinic(user);
  const expiresAt = typeof json.expires_at === 'string' ? Date.parse(json.expires_at) : state.expiresAt;
  update({
    status: 'signed_in',
    user,
    reason: 'none',
    testClock: json.test_clock === true,
    expiresAt: Number.isNaN(expiresAt) ? undefined : expiresAt,
  });
  return user;
}

// At start: is there a session already (a reload, a second tab)? While the server cannot be reached, says so and
// asks again every few seconds.
export async function restoreSession(): Promise<void> {
  for (let delayMs = 1000; ; delayMs = Math.min(delayMs * 2, 10_000)) {
    try {
      const answer = await request<SessionJson>('GET', '/auth/me', { unauthenticatedIsAnswer: true });
      await signIn(answer.data);
      return;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        update({ status: 'signed_out', user: null });
        return;
      }
      update({ status: 'unreachable' });
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

// POST /api/v1/auth/login, with the second factor's `code` when the user typed one. Rejects with the API's ApiError:
// 401 with field `code` (asking for the code, whatever was wrong) when no code was sent, 401 "email, password or
// code is wrong" when one was; retryAfterSeconds from the third failure on.
export async function login(email: string, password: string, code = ''): Promise<User> {
  const answer = await request<SessionJson>('POST', '/auth/login', {
    body: code ? { email, password, code } : { email, password },
    unauthenticatedIsAnswer: true,
  });
  return signIn(answer.data);
}

function endLocally(reason: SignedOutReason): void {
  const user = state.user;
  if (user) for (const listener of signOutListeners) listener(user, reason);
  setCsrfToken(undefined);
  update({ status: 'signed_out', user: null, reason, expiresAt: undefined });
}

function loginPathKeepingPlace(): string {
  const here = window.location.pathname + window.location.search;
  return here.startsWith('/login') ? here : `/login?next=${encodeURIComponent(here)}`;
}

// The user signs out: POST /api/v1/auth/logout, then the login page. A failed logout (the session had ended
// already, the network is down) still ends the session here.
export async function logout(): Promise<void> {
  try {
    await request<void>('POST', '/auth/logout', { unauthenticatedIsAnswer: true });
  } catch {
    // Nothing more to do: the cookie is forgotten when the browser closes, and the server ends it when idle.
  }
  endLocally('logged_out');
  navigate('/login', { replace: true });
}

// The session ended without the user asking (idle here, or the server answered 401): keep the place, so signing
// in again returns to it with any draft (draft.ts) restored.
export async function expire(reason: 'idle' | 'expired'): Promise<void> {
  if (state.status !== 'signed_in') return;
  const next = loginPathKeepingPlace();
  if (reason === 'idle') {
    try {
      await request<void>('POST', '/auth/logout', { unauthenticatedIsAnswer: true, background: true });
    } catch {
      // The server may have ended it already.
    }
  }
  endLocally(reason);
  navigate(next, { replace: true });
}

setUnauthenticatedHandler(() => {
  void expire('expired');
});
