// Sign-in, the same for staff and patients: email and password, and the second factor's code once the server asks
// for it (it asks whenever a sign-in without a code fails, so the question says nothing about the password: docs/api.md
// "Logging in with a second factor"); the API's own message when it refuses, and from the third failure the wait
// before the next try; then app.tsx moves on to the page the user was on (?next=) or their role's start page.
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { formatDuration } from '../format';
import { t, type MessageKey } from '../i18n';
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

type LoginFieldName = 'email' | 'password' | 'code';

const FIELD_LABEL: Record<LoginFieldName, MessageKey> = {
  email: 'login.email',
  password: 'login.password',
  code: 'login.code',
};

interface LoginFieldProps {
  readonly name: LoginFieldName;
  readonly value: string;
  readonly onValue: (value: string) => void;
  readonly invalid: boolean;
  readonly describedBy: string | undefined;
}

// One labelled input of the form; the email field takes focus when the page opens, the code field when it appears.
function LoginField(props: LoginFieldProps): JSX.Element {
  const id = `login-${props.name}`;
  const code = props.name === 'code';
  const hintId = code ? 'login-code-hint' : undefined;
  const describedBy = [hintId, props.describedBy].filter(Boolean).join(' ') || undefined;
  return (
    <div class="field">
      <label for={id}>{t(FIELD_LABEL[props.name])}</label>
      {code ? (
        <p id={hintId} class="field-hint">
          {t('login.codeHint')}
        </p>
      ) : null}
      <input
        id={id}
        name={props.name}
        type={code ? 'text' : props.name}
        autoComplete={code ? 'one-time-code' : props.name === 'email' ? 'username' : 'current-password'}
        inputMode={props.name === 'email' ? 'email' : undefined}
        autoFocus={props.name !== 'password'}
        autoCapitalize={code ? 'off' : undefined}
        spellcheck={code ? false : undefined}
        required
        value={props.value}
        aria-invalid={props.invalid ? true : undefined}
        aria-describedby={describedBy}
        onInput={(event) => props.onValue(event.currentTarget.value)}
      />
    </div>
  );
}

interface Failure {
  readonly message: string;
  readonly field: LoginFieldName | undefined;
  // When the server will take the next attempt (Retry-After), in this page's clock.
  readonly retryAt: number | undefined;
}

export function LoginPage({ reason }: { reason: SignedOutReason }): JSX.Element {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  // The server asked for the second factor's code: the form shows its field from then on.
  const [askCode, setAskCode] = useState(false);
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
      await login(email.trim(), password, askCode ? code.trim() : '');
    } catch (error) {
      const apiError =
        error instanceof ApiError ? error : new ApiError(0, 'unexpected', t('error.unexpected', { status: 0 }));
      const field =
        apiError.field === 'email' || apiError.field === 'password' || apiError.field === 'code'
          ? apiError.field
          : undefined;
      if (field === 'code') {
        // Asked for the code: keep the password, so the user only adds the code (or corrects what was wrong).
        setAskCode(true);
        setNow(Date.now());
        setFailure({
          message: apiError.message,
          field,
          retryAt:
            apiError.retryAfterSeconds !== undefined ? Date.now() + apiError.retryAfterSeconds * 1000 : undefined,
        });
        setBusy(false);
        return;
      }
      setCode('');
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
            {(askCode ? (['email', 'password', 'code'] as const) : (['email', 'password'] as const)).map((name) => (
              <LoginField
                key={name}
                name={name}
                value={name === 'email' ? email : name === 'password' ? password : code}
                onValue={name === 'email' ? setEmail : name === 'password' ? setPassword : setCode}
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
