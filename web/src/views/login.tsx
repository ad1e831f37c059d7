// Sign-in, the same for staff and patients: email and password, the API's own message when it refuses (wrong
// credentials, and from the third failure the wait before the next try: docs/api.md "POST /api/v1/auth/login"),
// then app.tsx moves on to the page the user was on (?next=) or their role's start page.
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { formatDuration } from '../format';
import { t } from '../i18n';
import { IDLE_LIMIT_MS } from '../idle';
import { Page } from '../page';
import { login, type SignedOutReason } from '../session';

function reasonText(reason: SignedOutReason): string | null {
  switch (reason) {
    case 'idle':
      return t('login.expiredIdle', { minutes: Math.round(IDLE_LIMIT_MS / 60000) });
    case 'expired':
      return t('login.expired');
    case 'logged_out':
      return t('login.loggedOut');
    default:
      return null;
  }
}

interface LoginFieldProps {
  readonly name: 'email' | 'password';
  readonly value: string;
  readonly onValue: (value: string) => void;
  readonly invalid: boolean;
  readonly describedBy: string | undefined;
}

// One labelled input of the form; the email field takes focus when the page opens.
function LoginField(props: LoginFieldProps): JSX.Element {
  const id = `login-${props.name}`;
  return (
    <div class="field">
      <label for={id}>{t(props.name === 'email' ? 'login.email' : 'login.password')}</label>
      <input
        id={id}
        name={props.name}
        type={props.name}
        autoComplete={props.name === 'email' ? 'username' : 'current-password'}
        inputMode={props.name === 'email' ? 'email' : undefined}
        autoFocus={props.name === 'email'}
        required
        value={props.value}
        aria-invalid={props.invalid ? true : undefined}
        aria-describedby={props.describedBy}
        onInput={(event) => props.onValue(event.currentTarget.value)}
      />
    </div>
  );
}

interface Failure {
  readonly message: string;
  readonly field: 'email' | 'password' | undefined;
  // When the server will take the next attempt (Retry-After), in this page's clock.
  readonly retryAt: number | undefined;
}

export function LoginPage({ reason }: { reason: SignedOutReason }): JSX.Element {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const errorRef = useRef<HTMLDivElement>(null);

  const waitMs = failure?.retryAt !== undefined ? failure.retryAt - now : 0;
  useEffect(() => {
    if (waitMs <= 0) return undefined;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [waitMs > 0]);

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    if (!email.trim()) {
      setFailure({ message: t('login.emailRequired'), field: 'email', retryAt: undefined });
      return;
    }
    if (!password) {
      setFailure({ message: t('login.passwordRequired'), field: 'password', retryAt: undefined });
      return;
    }
    setBusy(true);
    try {
      // Signed in: the app moves on to ?next= or the role's start page (app.tsx).
      await login(email.trim(), password);
    } catch (error) {
      const apiError =
        error instanceof ApiError ? error : new ApiError(0, 'unexpected', t('error.unexpected', { status: 0 }));
      const field = apiError.field === 'email' || apiError.field === 'password' ? apiError.field : undefined;
      setNow(Date.now());
      setFailure({
        message: apiError.message,
        field,
        retryAt:
          apiError.retryAfterSeconds !== undefined ? Date.now() + apiError.retryAfterSeconds * 1000 : undefined,
      });
      setPassword('');
      setBusy(false);
      // The message is a live region, announced; focus returns to the field to correct.
      errorRef.current?.scrollIntoView({ block: 'nearest' });
    }
  };

  const notice = reasonText(reason);
  const errorId = 'login-error';
  return (
    <div class="login-shell">
      <main id="main" class="login-card" tabIndex={-1}>
        <Page title={t('login.title')}>
          {notice ? (
            <p class="notice notice-info" role="status">
              {notice}
            </p>
          ) : null}
          <div ref={errorRef} id={errorId} role="alert" class="form-error-slot">
            {failure ? (
              <div class="notice notice-error">
                <p>{failure.message}</p>
                {failure.retryAt !== undefined ? (
                  <>
                    <p>
                      {waitMs > 0
                        ? t('login.retryIn', { duration: formatDuration(waitMs) })
                        : null}
                    </p>
                    <p>{t('login.lockedHint')}</p>
                  </>
                ) : null}
              </div>
            ) : null}
          </div>
          <form class="form-stack" onSubmit={(event) => void submit(event)} noValidate>
            {(['email', 'password'] as const).map((name) => (
              <LoginField
                key={name}
                name={name}
                value={name === 'email' ? email : password}
                onValue={name === 'email' ? setEmail : setPassword}
                invalid={failure?.field === name}
                describedBy={failure ? errorId : undefined}
              />
            ))}
            <button type="submit" class="button-primary" disabled={busy || waitMs > 0} aria-disabled={busy}>
              {busy ? t('login.submitting') : t('login.submit')}
            </button>
          </form>
        </Page>
      </main>
    </div>
  );
}
