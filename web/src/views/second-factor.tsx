// The caller's second factor (docs/api.md "The caller's second factor"): its state, and setting one up: a key shown
// once as a QR code (an SVG the server draws from the otpauth:// URI) and as text, confirmed with a first code, then
// the recovery codes, shown once. Confirming ends every session of the user (the server's rule), so the page then
// sends them to sign in again with the new factor. A user whose role requires a factor and who has none sees only
// this page (app.tsx), without the navigation.
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, get, post } from '../api';
import { formatDateTime } from '../format';
import { t } from '../i18n';
import { Page } from '../page';
import { logout } from '../session';

interface FactorState {
  readonly enrolled: boolean;
  readonly required: boolean;
  readonly recovery_codes_left: number;
  readonly enrolled_at?: string;
}

interface Enrolment {
  readonly secret: string;
  readonly otpauth_uri: string;
  readonly qr_svg: string;
}

function messageOf(error: unknown): string {
  return error instanceof ApiError ? error.message : t('error.unexpected', { status: 0 });
}

// The key in groups of four, easier to type into an app by hand.
function grouped(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}

export function SecondFactorPage({ required = false }: { required?: boolean }): JSX.Element {
  const [state, setState] = useState<FactorState | null>(null);
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [code, setCode] = useState('');
  const [codes, setCodes] = useState<readonly string[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const codeInput = useRef<HTMLInputElement>(null);
  const codesHeading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    get<FactorState>('/me/second-factor')
      .then(setState)
      .catch((error: unknown) => setRefusal(messageOf(error)));
  }, []);
  useEffect(() => codeInput.current?.focus(), [enrolment]);
  useEffect(() => codesHeading.current?.focus(), [codes]);

  const begin = async (): Promise<void> => {
    setBusy(true);
    setRefusal(null);
    try {
      setEnrolment(await post<Enrolment>('/me/second-factor'));
    } catch (error) {
      setRefusal(messageOf(error));
    } finally {
      setBusy(false);
    }
  };

  const confirm = async (event: Event): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setRefusal(null);
    try {
      const answer = await post<{ recovery_codes: string[] }>('/me/second-factor/confirm', { code: code.trim() });
      setCodes(answer.recovery_codes);
    } catch (error) {
      setRefusal(messageOf(error));
      codeInput.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  const refusalSlot = (
    <div role="alert" class="form-error-slot">
      {refusal ? <p class="notice notice-error">{refusal}</p> : null}
    </div>
  );

  let body: JSX.Element;
  if (codes) {
    body = (
      <section aria-labelledby="second-factor-codes">
        <h2 id="second-factor-codes" ref={codesHeading} tabIndex={-1}>
          {t('secondFactor.codesTitle')}
        </h2>
        <p>{t('secondFactor.codesBody')}</p>
        <ul class="recovery-codes" data-testid="recovery-codes">
          {codes.map((recovery) => (
            <li key={recovery}>
              <code>{recovery}</code>
            </li>
          ))}
        </ul>
        <button type="button" class="button-primary" onClick={() => void logout()}>
          {t('secondFactor.codesDone')}
        </button>
      </section>
    );
  } else if (enrolment) {
    body = (
      <form class="form-stack" onSubmit={(event) => void confirm(event)} noValidate>
        <p>{t('secondFactor.scan')}</p>
        {/* The server's SVG: a white square and one path of dark modules, nothing else (adapters/api/qr_svg.cpp). */}
        <div class="qr-code" dangerouslySetInnerHTML={{ __html: enrolment.qr_svg }} />
        <p>
          {t('secondFactor.secretLabel')} <code data-testid="totp-secret">{grouped(enrolment.secret)}</code>
        </p>
        <p>{t('secondFactor.confirmStep')}</p>
        {refusalSlot}
        <div class="field">
          <label for="second-factor-code">{t('secondFactor.code')}</label>
          <input
            id="second-factor-code"
            ref={codeInput}
            name="code"
            type="text"
            inputMode="numeric"
            autoComplete="one-time-code"
            required
            value={code}
            aria-invalid={refusal ? true : undefined}
            onInput={(event) => setCode(event.currentTarget.value)}
          />
        </div>
        <button type="submit" class="button-primary" disabled={busy}>
          {busy ? t('secondFactor.confirming') : t('secondFactor.confirm')}
        </button>
      </form>
    );
  } else if (state?.enrolled) {
    body = (
      <>
        <p>
          {t('secondFactor.enrolled', {
            time: state.enrolled_at ? formatDateTime(state.enrolled_at) : '',
            count: state.recovery_codes_left,
          })}
        </p>
        <p class="muted">{t('secondFactor.enrolledHint')}</p>
      </>
    );
  } else {
    body = (
      <>
        <p>{required || state?.required ? t('secondFactor.required') : t('secondFactor.optional')}</p>
        {refusalSlot}
        <button type="button" class="button-primary" disabled={busy || state === null} onClick={() => void begin()}>
          {busy ? t('secondFactor.beginning') : t('secondFactor.begin')}
        </button>
      </>
    );
  }
  return (
    <Page title={t('secondFactor.title')}>
      {codes || enrolment ? null : refusal && state === null ? refusalSlot : null}
      {body}
      {required && !codes ? (
        <p>
          <button type="button" class="button-quiet" onClick={() => void logout()}>
            {t('secondFactor.signOut')}
          </button>
        </p>
      ) : null}
    </Page>
  );
}
