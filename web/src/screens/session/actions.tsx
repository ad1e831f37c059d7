// The state machine as buttons (issue 12 §2): the next step(s) the session's state allows, each sent to the API as
// it is, and when the server refuses one, its reason shown beside that button (docs/api.md: 409
// `failed_precondition` naming the precondition). Steps that need input ask for it in place: consent and escort
// at check-in, the criteria at discharge, a reason to hold, override, abort or cancel.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError, post } from '../../api';
import { formatDuration, formatTime } from '../../format';
import { t } from '../../i18n';
import type { Role } from '../../access';
import {
  FINISHED,
  FORWARD_STEPS,
  REASON_STEPS,
  stepKeys,
  type SessionDetail,
  type Step,
} from './model';

export interface StepActionsProps {
  readonly session: SessionDetail;
  readonly role: Role;
  readonly earliestDischarge: number | undefined;
  readonly now: number;
  readonly onChanged: (session: SessionDetail) => void;
}

interface Refusal {
  readonly step: Step;
  readonly message: string;
}

function offered(session: SessionDetail, role: Role): { forward: Step[]; other: Step[] } {
  const forward = [...FORWARD_STEPS[session.state]];
  if (role === 'prescriber' && (session.state === 'checked_in' || session.state === 'held')) {
    forward.splice(1, 0, 'pre-dose-override');
  }
  const other: Step[] = [];
  if (!FINISHED.has(session.state)) {
    if (session.state !== 'scheduled') other.push('abort');
    other.push('cancel');
  }
  return { forward, other };
}

export function StepActions({ session, role, earliestDischarge, now, onChanged }: StepActionsProps): JSX.Element | null {
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [busy, setBusy] = useState<Step | null>(null);
  const [consent, setConsent] = useState(false);
  const [escort, setEscort] = useState(false);
  const [criteria, setCriteria] = useState(false);
  const [reasons, setReasons] = useState<Partial<Record<Step, string>>>({});
  const { forward, other } = offered(session, role);
  if (forward.length === 0 && other.length === 0) return null;

  const send = async (step: Step): Promise<void> => {
    let body: Record<string, unknown> = {};
    if (step === 'check-in') body = { consent_confirmed: consent, escort_confirmed: escort };
    else if (step === 'discharge') body = { discharge_criteria_confirmed: criteria };
    else if (step === 'pre-dose-override') body = { override_reason: reasons[step] ?? '' };
    else if (REASON_STEPS.has(step)) body = { reason: reasons[step] ?? '' };
    setBusy(step);
    setRefusal(null);
    try {
      const next = await post<SessionDetail>(`/sessions/${session.id}/${step}`, body);
      onChanged(next);
    } catch (error) {
      const message = error instanceof ApiError ? error.message : String(error);
      setRefusal({ step, message });
    } finally {
      setBusy(null);
    }
  };

  const button = (step: Step, primary: boolean): JSX.Element => {
    const refused = refusal?.step === step;
    const reasonId = `step-reason-${step}`;
    const hintId = `step-hint-${step}`;
    const hint =
      step === 'ready-for-discharge' && earliestDischarge !== undefined && earliestDischarge > now
        ? t('session.earliestDischargeHint', {
            time: formatTime(earliestDischarge),
            duration: formatDuration(earliestDischarge - now),
          })
        : null;
    const describedBy = [refused ? reasonId : '', hint ? hintId : ''].filter(Boolean).join(' ') || undefined;
    return (
      <div class="step" key={step}>
        {REASON_STEPS.has(step) ? (
          <div class="field">
            <label for={`step-input-${step}`}>{t('session.stepReason', { step: t(stepKeys[step]) })}</label>
            <input
              id={`step-input-${step}`}
              value={reasons[step] ?? ''}
              onInput={(e) => setReasons({ ...reasons, [step]: (e.target as HTMLInputElement).value })}
            />
          </div>
        ) : null}
        <button
          type="button"
          class={primary ? 'button-primary step-button' : 'button-quiet step-button'}
          disabled={busy !== null}
          aria-describedby={describedBy}
          onClick={() => void send(step)}
        >
          {busy === step ? t('session.sending') : t(stepKeys[step])}
        </button>
        {hint ? (
          <p id={hintId} class="step-hint">
            {hint}
          </p>
        ) : null}
        {refused ? (
          <p id={reasonId} class="step-refusal notice notice-error" role="alert">
            <strong>{t('session.notAllowedYet')}</strong> {refusal.message}
          </p>
        ) : null}
      </div>
    );
  };

  return (
    <section class="step-actions" aria-labelledby="steps-title">
      <h2 id="steps-title">{t('session.nextStep')}</h2>
      {session.state === 'scheduled' ? (
        <fieldset class="checks">
          <legend>{t('session.checkInConfirm')}</legend>
          <label class="check">
            <input type="checkbox" checked={consent} onChange={(e) => setConsent((e.target as HTMLInputElement).checked)} />
            {t('session.consentConfirmed')}
          </label>
          <label class="check">
            <input type="checkbox" checked={escort} onChange={(e) => setEscort((e.target as HTMLInputElement).checked)} />
            {t('session.escortConfirmed')}
          </label>
        </fieldset>
      ) : null}
      {session.state === 'ready_for_discharge' ? (
        <label class="check">
          <input type="checkbox" checked={criteria} onChange={(e) => setCriteria((e.target as HTMLInputElement).checked)} />
          {t('session.dischargeCriteria')}
        </label>
      ) : null}
      <div class="step-row">{forward.map((step, i) => button(step, i === 0))}</div>
      {other.length > 0 ? (
        <details class="step-other">
          <summary>{t('session.stopSession')}</summary>
          <div class="step-row">{other.map((step) => button(step, false))}</div>
        </details>
      ) : null}
    </section>
  );
}
