// Intake and screening (issue 12 §2): the nurse (or prescriber) takes the history a screening reads (weight,
// diagnoses and conditions, allergies, current medications, prior antidepressant trials), screens it with what is
// taken at the visit, and the prescriber signs the result: accepted, or overridden with a reason (docs/api.md
// "History and screening"). Every refusal is shown next to the field the API names.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { may } from '../../access';
import { post } from '../../api';
import { formatDateTime, formatQuantity } from '../../format';
import { t } from '../../i18n';
import { Page } from '../../page';
import { Link, type Params } from '../../router';
import { useSession } from '../../session';
import { PatientSections } from '../../views/placeholders';
import { latestWeight, ScreeningView, TrialTable, useChart } from './chart';
import { useDraft } from '../../draft';
import { Field, fieldError, FormError, LoadState, numberOrUndefined, useSubmit } from './form';
import { fullName, valid, type HistoryEntry, type Screening } from './types';

function WeightForm({ patientId, onSaved }: { patientId: number; onSaved: () => void }): JSX.Element {
  const [weight, setWeight] = useState('');
  const [confirmed, setConfirmed] = useState(false);
  const { refusal, busy, run } = useSubmit(onSaved);
  const needsConfirmation = refusal?.field === 'confirmed';
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const ok = await run(() =>
      post(`/patients/${patientId}/weights`, { weight_kg: numberOrUndefined(weight) ?? weight, confirmed }),
    );
    if (ok) {
      setWeight('');
      setConfirmed(false);
    }
  };
  return (
    <form class="form-inline" aria-labelledby="weight-form" onSubmit={(event) => void submit(event)} noValidate>
      <h3 id="weight-form">{t('intake.weight')}</h3>
      <FormError refusal={refusal} shownFields={['weight_kg', 'confirmed']} />
      <Field id="weight-kg" label={t('intake.weightKg')} error={fieldError(refusal, 'weight_kg')}>
        {(d) => (
          <input id="weight-kg" inputMode="decimal" value={weight} onInput={(e) => setWeight(e.currentTarget.value)} {...d} />
        )}
      </Field>
      {needsConfirmation || confirmed ? (
        <div class="field field-check">
          <input
            id="weight-confirmed"
            type="checkbox"
            checked={confirmed}
            onChange={(e) => setConfirmed(e.currentTarget.checked)}
            aria-describedby={needsConfirmation ? 'weight-confirmed-error' : undefined}
          />
          <label for="weight-confirmed">{t('intake.weightConfirmed')}</label>
          {needsConfirmation ? (
            <span id="weight-confirmed-error" class="field-error" role="alert">
              {refusal?.message}
            </span>
          ) : null}
        </div>
      ) : null}
      <button type="submit" class="button-primary" disabled={busy}>
        {t('intake.recordWeight')}
      </button>
    </form>
  );
}

function HistoryForm({ patientId, onSaved }: { patientId: number; onSaved: () => void }): JSX.Element {
  const [kind, setKind] = useState<HistoryEntry['kind']>('diagnosis');
  const [value, setValue] = useState('');
  const { refusal, busy, run } = useSubmit(onSaved);
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    if (await run(() => post(`/patients/${patientId}/history`, { kind, value: value.trim() }))) setValue('');
  };
  return (
    <form class="form-inline" aria-labelledby="history-form" onSubmit={(event) => void submit(event)} noValidate>
      <h3 id="history-form">{t('intake.history')}</h3>
      <FormError refusal={refusal} shownFields={['kind', 'value']} />
      <Field id="history-kind" label={t('intake.kind')} error={fieldError(refusal, 'kind')}>
        {(d) => (
          <select
            id="history-kind"
            value={kind}
            onChange={(e) => setKind(e.currentTarget.value as HistoryEntry['kind'])}
            {...d}
          >
            <option value="diagnosis">{t('intake.kind.diagnosis')}</option>
            <option value="condition">{t('intake.kind.condition')}</option>
            <option value="allergy">{t('intake.kind.allergy')}</option>
            <option value="medication">{t('intake.kind.medication')}</option>
          </select>
        )}
      </Field>
      <Field
        id="history-value"
        label={t('intake.value')}
        hint={kind === 'diagnosis' || kind === 'condition' ? t('intake.valueCodeHint') : t('intake.valueNameHint')}
        error={fieldError(refusal, 'value')}
      >
        {(d) => <input id="history-value" value={value} onInput={(e) => setValue(e.currentTarget.value)} {...d} />}
      </Field>
      <button type="submit" class="button-primary" disabled={busy}>
        {t('intake.addHistory')}
      </button>
    </form>
  );
}

interface TrialForm {
  drug: string;
  weeks: string;
  improvement_percent: string;
  adequate_dose: boolean;
  current_episode: boolean;
}

function TrialFormView({ patientId, onSaved }: { patientId: number; onSaved: () => void }): JSX.Element {
  const empty: TrialForm = { drug: '', weeks: '', improvement_percent: '', adequate_dose: true, current_episode: true };
  const [form, setForm] = useState<TrialForm>(empty);
  const { refusal, busy, run } = useSubmit(onSaved);
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const body = {
      drug: form.drug.trim(),
      weeks: numberOrUndefined(form.weeks) ?? form.weeks,
      improvement_percent: numberOrUndefined(form.improvement_percent) ?? form.improvement_percent,
      adequate_dose: form.adequate_dose,
      current_episode: form.current_episode,
    };
    if (await run(() => post(`/patients/${patientId}/trials`, body))) setForm(empty);
  };
  return (
    <form class="form-inline" aria-labelledby="trial-form" onSubmit={(event) => void submit(event)} noValidate>
      <h3 id="trial-form">{t('intake.trial')}</h3>
      <FormError refusal={refusal} shownFields={['drug', 'weeks', 'improvement_percent']} />
      <Field id="trial-drug" label={t('trial.drug')} error={fieldError(refusal, 'drug')}>
        {(d) => <input id="trial-drug" value={form.drug} onInput={(e) => setForm({ ...form, drug: e.currentTarget.value })} {...d} />}
      </Field>
      <Field id="trial-weeks" label={t('trial.weeksLabel')} error={fieldError(refusal, 'weeks')}>
        {(d) => (
          <input
            id="trial-weeks"
            inputMode="numeric"
            value={form.weeks}
            onInput={(e) => setForm({ ...form, weeks: e.currentTarget.value })}
            {...d}
          />
        )}
      </Field>
      <Field id="trial-improvement" label={t('trial.improvementLabel')} error={fieldError(refusal, 'improvement_percent')}>
        {(d) => (
          <input
            id="trial-improvement"
            inputMode="decimal"
            value={form.improvement_percent}
            onInput={(e) => setForm({ ...form, improvement_percent: e.currentTarget.value })}
            {...d}
          />
        )}
      </Field>
      <div class="field field-check">
        <input
          id="trial-adequate"
          type="checkbox"
          checked={form.adequate_dose}
          onChange={(e) => setForm({ ...form, adequate_dose: e.currentTarget.checked })}
        />
        <label for="trial-adequate">{t('trial.adequateDose')}</label>
      </div>
      <div class="field field-check">
        <input
          id="trial-current"
          type="checkbox"
          checked={form.current_episode}
          onChange={(e) => setForm({ ...form, current_episode: e.currentTarget.checked })}
        />
        <label for="trial-current">{t('trial.currentEpisode')}</label>
      </div>
      <button type="submit" class="button-primary" disabled={busy}>
        {t('intake.addTrial')}
      </button>
    </form>
  );
}

interface ScreenForm {
  product: string;
  systolic: string;
  diastolic: string;
  heart_rate: string;
  pregnant: boolean;
  breastfeeding: boolean;
  acute_suicidal_ideation: boolean;
  ketamine_misuse_history: boolean;
  hypertensive_encephalopathy_history: boolean;
}

const SCREEN_FIELDS = ['product', 'blood_pressure.systolic', 'blood_pressure.diastolic', 'heart_rate'];

const SCREEN_FLAGS = [
  'pregnant',
  'breastfeeding',
  'acute_suicidal_ideation',
  'ketamine_misuse_history',
  'hypertensive_encephalopathy_history',
] as const;

function ScreenFormView({ patientId, onSaved }: { patientId: number; onSaved: () => void }): JSX.Element {
  const draft = useDraft<ScreenForm>('screening', {
    product: 'ketamine-iv',
    systolic: '',
    diastolic: '',
    heart_rate: '',
    pregnant: false,
    breastfeeding: false,
    acute_suicidal_ideation: false,
    ketamine_misuse_history: false,
    hypertensive_encephalopathy_history: false,
  });
  const form = draft.value;
  const setForm = draft.set;
  const { refusal, busy, run } = useSubmit(onSaved);
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const body: Record<string, unknown> = { product: form.product };
    for (const flag of SCREEN_FLAGS) body[flag] = form[flag];
    if (form.systolic.trim() || form.diastolic.trim()) {
      body.blood_pressure = {
        systolic: numberOrUndefined(form.systolic) ?? form.systolic,
        diastolic: numberOrUndefined(form.diastolic) ?? form.diastolic,
      };
    }
    if (form.heart_rate.trim()) body.heart_rate = numberOrUndefined(form.heart_rate) ?? form.heart_rate;
    if (await run(() => post<Screening>(`/patients/${patientId}/screenings`, body))) draft.clear();
  };
  const text = (name: 'systolic' | 'diastolic' | 'heart_rate', label: string, apiField: string): JSX.Element => (
    <Field id={`screen-${name}`} label={label} error={fieldError(refusal, apiField)}>
      {(d) => (
        <input
          id={`screen-${name}`}
          inputMode="numeric"
          value={form[name]}
          onInput={(e) => setForm({ ...form, [name]: e.currentTarget.value })}
          {...d}
        />
      )}
    </Field>
  );
  return (
    <form class="form-grid" aria-labelledby="screen-form" onSubmit={(event) => void submit(event)} noValidate>
      <h3 id="screen-form">{t('intake.screen')}</h3>
      <FormError refusal={refusal} shownFields={SCREEN_FIELDS} />
      <Field id="screen-product" label={t('intake.product')} error={fieldError(refusal, 'product')}>
        {(d) => (
          <select id="screen-product" value={form.product} onChange={(e) => setForm({ ...form, product: e.currentTarget.value })} {...d}>
            <option value="ketamine-iv">{t('product.ketamine-iv')}</option>
            <option value="esketamine-nasal">{t('product.esketamine-nasal')}</option>
            <option value="ketamine-im">{t('product.ketamine-im')}</option>
            <option value="ketamine-oral">{t('product.ketamine-oral')}</option>
            <option value="ketamine-sublingual">{t('product.ketamine-sublingual')}</option>
          </select>
        )}
      </Field>
      {text('systolic', t('intake.systolic'), 'blood_pressure.systolic')}
      {text('diastolic', t('intake.diastolic'), 'blood_pressure.diastolic')}
      {text('heart_rate', t('intake.heartRate'), 'heart_rate')}
      <fieldset class="checks">
        <legend>{t('intake.atVisit')}</legend>
        {SCREEN_FLAGS.map((flag) => (
          <div class="field field-check" key={flag}>
            <input
              id={`screen-${flag}`}
              type="checkbox"
              checked={form[flag]}
              onChange={(e) => setForm({ ...form, [flag]: e.currentTarget.checked })}
            />
            <label for={`screen-${flag}`}>{t(`intake.flag.${flag}`)}</label>
          </div>
        ))}
      </fieldset>
      <div class="form-actions">
        <button type="submit" class="button-primary" disabled={busy}>
          {t('intake.runScreening')}
        </button>
      </div>
    </form>
  );
}

function SignForm({ screening, onSaved }: { screening: Screening; onSaved: () => void }): JSX.Element {
  const [signOff, setSignOff] = useState<'accepted' | 'overridden'>('accepted');
  const [reason, setReason] = useState('');
  const { refusal, busy, run } = useSubmit(onSaved);
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const body = signOff === 'accepted' ? { sign_off: 'accepted' } : { sign_off: 'overridden', reason: reason.trim() };
    await run(() => post(`/screenings/${screening.id}/sign`, body));
  };
  return (
    <form class="form-stack form-narrow" aria-labelledby="sign-form" onSubmit={(event) => void submit(event)} noValidate>
      <h3 id="sign-form">{t('sign.title')}</h3>
      <FormError refusal={refusal} shownFields={['reason']} />
      <fieldset class="checks">
        <legend>{t('sign.decision')}</legend>
        <div class="field field-check">
          <input
            id="sign-accepted"
            type="radio"
            name="sign_off"
            checked={signOff === 'accepted'}
            onChange={() => setSignOff('accepted')}
          />
          <label for="sign-accepted">{t('sign.accept')}</label>
        </div>
        <div class="field field-check">
          <input
            id="sign-overridden"
            type="radio"
            name="sign_off"
            checked={signOff === 'overridden'}
            onChange={() => setSignOff('overridden')}
          />
          <label for="sign-overridden">{t('sign.override')}</label>
        </div>
      </fieldset>
      {signOff === 'overridden' ? (
        <Field id="sign-reason" label={t('sign.reason')} hint={t('sign.reasonHint')} error={fieldError(refusal, 'reason')}>
          {(d) => <textarea id="sign-reason" rows={3} value={reason} onInput={(e) => setReason(e.currentTarget.value)} {...d} />}
        </Field>
      ) : null}
      <div class="form-actions">
        <button type="submit" class="button-primary" disabled={busy}>
          {t('sign.submit')}
        </button>
      </div>
    </form>
  );
}

export function IntakePage({ params }: { params: Params }): JSX.Element {
  const id = params.id ?? '';
  const { user } = useSession();
  const { data, error, reload } = useChart(id);
  const maySign = user !== null && may(user.role, 'screening.sign');
  const mayRecord = user !== null && may(user.role, 'history.record');
  const clinical = data?.clinical ?? null;
  const latest = clinical?.latest_screening ?? undefined;
  const weight = data?.weights ? latestWeight(data.weights) : undefined;
  const history = clinical ? valid(clinical.history).filter((entry) => !entry.stop) : [];
  return (
    <Page title={data ? t('intake.title', { name: fullName(data.patient) }) : t('intake.titleLoading')}>
      <PatientSections id={id} />
      <p>
        <Link href={`/patients/${encodeURIComponent(id)}`}>{t('intake.backToChart')}</Link>
      </p>
      <LoadState error={error} loading={data === null} />
      {data ? (
        <div class="intake">
          <section aria-labelledby="intake-record">
            <h2 id="intake-record">{t('intake.recorded')}</h2>
            <p>
              {weight
                ? t('chart.weightOn', { weight: formatQuantity(weight.weight_kg, 'kg'), at: formatDateTime(weight.measured_at) })
                : t('chart.noWeight')}
            </p>
            {history.length ? (
              <ul class="plain-list" aria-label={t('intake.history')}>
                {history.map((entry) => (
                  <li key={entry.id}>
                    {t('intake.entry', { kind: t(`intake.kind.${entry.kind}`), value: entry.value })}
                  </li>
                ))}
              </ul>
            ) : (
              <p class="muted">{t('intake.noHistory')}</p>
            )}
            {clinical ? <TrialTable trials={clinical.trials} /> : null}
          </section>
          {mayRecord ? (
            <section aria-labelledby="intake-take" class="no-print">
              <h2 id="intake-take">{t('intake.take')}</h2>
              <WeightForm patientId={data.patient.id} onSaved={reload} />
              <HistoryForm patientId={data.patient.id} onSaved={reload} />
              <TrialFormView patientId={data.patient.id} onSaved={reload} />
            </section>
          ) : null}
          <section aria-labelledby="intake-screening">
            <h2 id="intake-screening">{t('intake.screening')}</h2>
            {mayRecord ? <ScreenFormView patientId={data.patient.id} onSaved={reload} /> : null}
            {latest ? (
              <>
                <h3>{t('intake.latestScreening')}</h3>
                <ScreeningView screening={latest} />
                {maySign && !latest.signature ? <SignForm screening={latest} onSaved={reload} /> : null}
              </>
            ) : (
              <p class="muted">{t('chart.noScreening')}</p>
            )}
          </section>
        </div>
      ) : null}
    </Page>
  );
}
