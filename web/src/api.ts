// The one way the web app talks to the server: JSON over fetch to /api/v1 (docs/api.md), same origin, with the
// session cookie and, on every state-changing request, the session's CSRF token in X-CSRF-Token. Errors arrive as
// ApiError carrying the server's {"error":{"code","field","message"}} so a screen can show the API's reason next to
// the field it names. Requests that take over 300 ms show the global progress indicator (progress.ts).
import { t } from './i18n';
import { trackRequest } from './progress';

export const API_BASE = '/api/v1';

// The error body of docs/api.md "Errors", plus what a client needs to act on it.
export class ApiError extends Error {
  readonly status: number;
  // The server's code (`invalid_argument`, `out_of_range`, `unauthenticated`, ...), or `network` when no answer came.
  readonly code: string;
  // The input at fault, as the API names it (`weight_kg`, `blood_pressure.systolic`), when one is.
  readonly field: string | undefined;
  // Seconds from a Retry-After header (a login lockout, a server at its connection limit).
  readonly retryAfterSeconds: number | undefined;

  constructor(status: number, code: string, message: string, field?: string, retryAfterSeconds?: number) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

let csrfToken: string | undefined;
let onUnauthenticated: (() => void) | undefined;
let lastAnsweredAt = 0;

// The CSRF token of the browser session (from login or GET /api/v1/auth/me); undefined after logout.
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

// Called when an authenticated request is answered 401: the session ended on the server (idle, absolute expiry, an
// admin disabled the user). session.ts sends the user to the login page, keeping where they were.
export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler;
}

// When the server last answered a request of this session: the server's idle timeout counts from its last request.
export function lastServerAnswerAt(): number {
  return lastAnsweredAt;
}

export type Query = Readonly<Record<string, string | number | boolean | undefined>>;

export interface RequestOptions {
  readonly query?: Query;
  readonly body?: unknown;
  // The record's version for If-Match (docs/api.md "Versions"): a number, or the ETag as received.
  readonly ifMatch?: number | string;
  readonly signal?: AbortSignal;
  // Login and who-am-I answer 401 as an answer, not as a lost session.
  readonly unauthenticatedIsAnswer?: boolean;
  // A background request (a keep-alive) shows no progress indicator.
  readonly background?: boolean;
}

export interface ApiAnswer<T> {
  readonly data: T;
  readonly status: number;
  // The record's version from a strong ETag ("3" -> 3), when the answer has one.
  readonly version: number | undefined;
  readonly headers: Headers;
}

const SAFE_METHODS = new Set(['GET', 'HEAD']);

function url(path: string, query: Query | undefined): string {
  let target = path.startsWith('/api/') ? path : API_BASE + path;
  if (query) {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined) params.set(name, String(value));
    }
    const text = params.toString();
    if (text) target += `?${text}`;
  }
  return target;
}

function versionOf(etag: string | null): number | undefined {
  const match = etag ? /^"(\d+)"$/.exec(etag) : null;
  return match ? Number(match[1]) : undefined;
}

async function errorOf(response: Response): Promise<ApiError> {
  const retry = response.headers.get('Retry-After');
  const retryAfter = retry !== null && /^\d+$/.test(retry) ? Number(retry) : undefined;
  try {
    const body = (await response.json()) as { error?: { code?: unknown; message?: unknown; field?: unknown } };
    const error = body.error;
    if (error && typeof error.code === 'string' && typeof error.message === 'string') {
      return new ApiError(
        response.status,
        error.code,
        error.message,
        typeof error.field === 'string' ? error.field : undefined,
        retryAfter,
      );
    }
  } catch {
    // Not the API's error body (a proxy's page): described by its status below.
  }
  return new ApiError(
    response.status,
    'unexpected',
    t('error.unexpected', { status: response.status }),
    undefined,
    retryAfter,
  );
}

// One request to the API. Resolves with the parsed JSON (undefined for 204) and the record's version; rejects with
// ApiError for every non-2xx answer and for a network failure (code `network`).
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<ApiAnswer<T>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  if (!SAFE_METHODS.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  if (options.ifMatch !== undefined) {
    headers['If-Match'] = typeof options.ifMatch === 'number' ? `"${options.ifMatch}"` : options.ifMatch;
  }
  const done = options.background ? () => undefined : trackRequest();
  let response: Response;
  try {
    response = await fetch(url(path, options.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      cache: 'no-store',
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'network', t('error.network'));
  } finally {
    done();
  }
  if (response.status === 401) {
    const error = await errorOf(response);
    if (!options.unauthenticatedIsAnswer) onUnauthenticated?.();
    throw error;
  }
  lastAnsweredAt = Date.now();
  if (!response.ok) throw await errorOf(response);
  const data = (response.status === 204 ? undefined : await response.json()) as T;
  return { data, status: response.status, version: versionOf(response.headers.get('ETag')), headers: response.headers };
}

export async function get<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
  return (await request<T>('GET', path, { query, signal })).data;
}

export async function post<T>(path: string, body?: unknown, ifMatch?: number): Promise<T> {
  return (await request<T>('POST', path, { body: body ?? {}, ifMatch })).data;
}

// A change of a versioned record (docs/api.md "Versions"): `version` is the one read; a 412 means someone changed it
// meanwhile (read again, reapply, resend).
export async function put<T>(path: string, body: unknown, version: number): Promise<ApiAnswer<T>> {
  return request<T>('PUT', path, { body, ifMatch: version });
}

export async function del(path: string): Promise<void> {
  await request<void>('DELETE', path);
}

// The API's paged lists (docs/api.md "Lists").
export interface Page<T> {
  readonly items: T[];
  readonly next_after?: number;
}
