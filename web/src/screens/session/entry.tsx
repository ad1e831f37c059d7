// What a nurse records during a session, keyboard first: vital signs (focus starts in systolic; Enter moves from
// systolic to diastolic and submits from any later field, so a blood pressure is "120 Enter 80 Enter"), MOAA/S and
// CADSS, the drug given (esketamine devices; an IV infusion and its stop), and adverse events. Every refusal shows
// the API's message next to the field it names.
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, post } from '../../api';
import { useDraft } from '../../draft';
import { formatQuantity } from '../../format';
import { t, type MessageKey } from '../../i18n';
import { clinicNow } from './clock';
import {
  EARLY_STOP_REASONS,
  LOINC,
  isEsketamine,
  type Administration,
  type AdverseEvent,
  type Alert,
  type Assessment,
  type DoseOrder,
  type Vital,
} from './model';

function errorText(error: unknown): { field: string | undefined; message: string } {
  if (error instanceof ApiError) return { field: error.field, message: error.message };
  return { field: undefined, message: String(error) };
}

function FormError({ id, message }: { id: string; message: string | null }): JSX.Element {
  return (
    <p id={id} class="field-error" role="alert">
      {message ?? ''}
    </p>
  );
}

interface VitalField {
  readonly name: 'systolic' | 'diastolic' | 'heartRate' | 'spo2' | 'respiratoryRate';
  readonly label: MessageKey;
  readonly unit: string;
}

const VITAL_FIELDS: readonly VitalField[] = [
  { name: 'systolic', label: 'vitals.systolic', unit: 'mmHg' },
  { name: 'diastolic', label: 'vitals.diastolic', unit: 'mmHg' },
  { name: 'heartRate', label: 'vitals.heartRate', unit: '/min' },
  { name: 'spo2', label: 'vitals.spo2', unit: '%' },
  { name: 'respiratoryRate', label: 'vitals.respiratoryRate', unit: '/min' },
];

type VitalValues = Record<VitalField['name'], string>;
const EMPTY_VITALS: VitalValues = { systolic: '', diastolic: '', heartRate: '', spo2: '', respiratoryRate: '' };

export function VitalsEntry({
  patientId,
  sessionId,
  onRecorded,
}: {
  patientId: number;
  sessionId: number;
  onRecorded: (vital: Vital, alerts: Alert[]) => void;
}): JSX.Element {
  // A reading typed but not yet recorded survives an idle sign-out (draft.ts).
  const draft = useDraft<VitalValues>('vitals', EMPTY_VITALS);
  const values = draft.value;
  const setValues = draft.set;
  const [error, setError] = useState<{ field: string | undefined; message: string } | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const systolic = useRef<HTMLInputElement>(null);
  const diastolic = useRef<HTMLInputElement>(null);
  // Focus lands in systolic when the screen opens: the nurse types the reading at once.
  useEffect(() => {
    systolic.current?.focus();
  }, []);

  const submit = async (): Promise<void> => {
    const number = (text: string): number => Number(text.trim());
    const bodies: Record<string, unknown>[] = [];
    if (values.systolic.trim() || values.diastolic.trim()) {
      bodies.push({ loinc: LOINC.bloodPressure, systolic: number(values.systolic), diastolic: number(values.diastolic), unit: 'mm[Hg]' });
    }
    if (values.heartRate.trim()) bodies.push({ loinc: LOINC.heartRate, value: number(values.heartRate), unit: '/min' });
    if (values.spo2.trim()) bodies.push({ loinc: LOINC.spo2, value: number(values.spo2), unit: '%' });
    if (values.respiratoryRate.trim()) bodies.push({ loinc: LOINC.respiratoryRate, value: number(values.respiratoryRate), unit: '/min' });
    if (bodies.length === 0) {
      setError({ field: 'systolic', message: t('vitals.nothing') });
      return;
    }
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      for (const body of bodies) {
        const stored = await post<Vital & { alerts?: Alert[] }>(`/patients/${patientId}/vitals`, { ...body, session_id: sessionId });
        onRecorded(stored, stored.alerts ?? []);
      }
      draft.clear();
      setSaved(t('vitals.saved', { count: bodies.length }));
      systolic.current?.focus();
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setBusy(false);
    }
  };

  const keyDown = (name: VitalField['name']) => (event: KeyboardEvent): void => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    if (name === 'systolic') diastolic.current?.focus();
    else void submit();
  };

  const fieldOfError = (name: VitalField['name']): boolean => {
    const f = error?.field ?? '';
    if (name === 'systolic') return f === 'systolic' || f.endsWith('.systolic');
    if (name === 'diastolic') return f === 'diastolic' || f === 'mean_arterial';
    return false;
  };

  return (
    <form
      class="vitals-entry"
      aria-labelledby="vitals-title"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2 id="vitals-title">{t('vitals.title')}</h2>
      <p class="muted">{t('vitals.keyboardHint')}</p>
      <div class="vitals-fields">
        {VITAL_FIELDS.map((field) => (
          <div class="field" key={field.name}>
            <label for={`vital-${field.name}`}>
              {t(field.label)} <span class="unit">({field.unit})</span>
            </label>
            <input
              id={`vital-${field.name}`}
              ref={field.name === 'systolic' ? systolic : field.name === 'diastolic' ? diastolic : undefined}
              inputMode="numeric"
              autoComplete="off"
              value={values[field.name]}
              aria-invalid={fieldOfError(field.name) ? 'true' : undefined}
              aria-describedby="vitals-error"
              onInput={(e) => setValues({ ...values, [field.name]: (e.target as HTMLInputElement).value })}
              onKeyDown={keyDown(field.name)}
            />
          </div>
        ))}
        <button type="submit" class="button-primary" disabled={busy}>
          {t('vitals.record')}
        </button>
      </div>
      <FormError id="vitals-error" message={error ? error.message : null} />
      <p class="visually-hidden" role="status">
        {saved ?? ''}
      </p>
    </form>
  );
}

const CADSS_ITEMS = 23;

// The MOAA/S and CADSS forms; the section around them (ScoresList's) lists what was rated. `onRecorded` gets the
// stored rating and the alerts it raised.
export function ScalesEntry({
  patientId,
  onRecorded,
}: {
  patientId: number;
  onRecorded: (assessment: Assessment, alerts: Alert[]) => void;
}): JSX.Element {
  const [moaas, setMoaas] = useState('');
  const [cadss, setCadss] = useState<string[]>(() => Array.from({ length: CADSS_ITEMS }, () => '0'));
  const [error, setError] = useState<string | null>(null);
  const [last, setLast] = useState<string | null>(null);

  const record = async (instrument: 'moaas' | 'cadss', answers: number[]): Promise<void> => {
    setError(null);
    try {
      const { alerts, ...stored } = await post<Assessment & { alerts?: Alert[] }>(`/patients/${patientId}/assessments`, {
        instrument,
        answers,
      });
      setLast(
        t(instrument === 'moaas' ? 'scales.moaasSaved' : 'scales.cadssSaved', {
          total: stored.total ?? answers.reduce((a, b) => a + b, 0),
          band: stored.band ?? '',
        }),
      );
      onRecorded(stored, alerts ?? []);
    } catch (caught) {
      setError(errorText(caught).message);
    }
  };

  const cadssTotal = cadss.reduce((sum, v) => sum + (Number(v) || 0), 0);
  return (
    <>
      <form
        class="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void record('moaas', [Number(moaas)]);
        }}
      >
        <div class="field">
          <label for="moaas">{t('scales.moaas')}</label>
          <select id="moaas" value={moaas} onChange={(e) => setMoaas((e.target as HTMLSelectElement).value)}>
            <option value="">{t('scales.choose')}</option>
            {[5, 4, 3, 2, 1, 0].map((score) => (
              <option key={score} value={String(score)}>
                {t(`scales.moaas.${score}` as MessageKey)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="button-quiet" disabled={moaas === ''}>
          {t('scales.recordMoaas')}
        </button>
      </form>
      <details>
        <summary>{t('scales.cadss', { total: cadssTotal })}</summary>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void record('cadss', cadss.map((v) => Number(v) || 0));
          }}
        >
          <fieldset class="cadss-grid">
            <legend>{t('scales.cadssLegend')}</legend>
            {cadss.map((value, i) => (
              <div class="field" key={i}>
                <label for={`cadss-${i + 1}`}>{t('scales.cadssItem', { n: i + 1 })}</label>
                <input
                  id={`cadss-${i + 1}`}
                  inputMode="numeric"
                  value={value}
                  onInput={(e) => {
                    const next = [...cadss];
                    next[i] = (e.target as HTMLInputElement).value;
                    setCadss(next);
                  }}
                />
              </div>
            ))}
          </fieldset>
          <button type="submit" class="button-quiet">
            {t('scales.recordCadss')}
          </button>
        </form>
      </details>
      <FormError id="scales-error" message={error} />
      <p role="status">{last ?? ''}</p>
    </>
  );
}

export function DrugEntry({
  sessionId,
  route,
  order,
  administrations,
  dosing,
  onRecorded,
}: {
  sessionId: number;
  route: string;
  order: DoseOrder | null | undefined;
  administrations: readonly Administration[];
  dosing: boolean;
  onRecorded: (administration: Administration) => void;
}): JSX.Element | null {
  const esketamine = isEsketamine(route);
  const [devices, setDevices] = useState(String(order?.order.devices ?? 2));
  const [dose, setDose] = useState(String(order?.order.total_mg ?? ''));
  const [rate, setRate] = useState(order?.order.rate_mg_per_h !== undefined ? String(order.order.rate_mg_per_h) : '');
  const [lot, setLot] = useState('');
  const [error, setError] = useState<string | null>(null);
  // The order is signed after the screen opened (the prescriber signs it while the patient is pre-dose OK): its
  // dose and rate fill the empty fields when it arrives.
  useEffect(() => {
    if (!order) return;
    if (dose === '') setDose(String(order.order.total_mg));
    if (rate === '' && order.order.rate_mg_per_h !== undefined) setRate(String(order.order.rate_mg_per_h));
    if (order.order.devices !== undefined) setDevices(String(order.order.devices));
  }, [order?.id]);
  const running = administrations.filter((a) => a.route === 'iv' && !a.stop && !a.stopped_at && !a.entered_in_error);
  if (!dosing && running.length === 0) return null;

  const give = async (): Promise<void> => {
    setError(null);
    const body: Record<string, unknown> = esketamine
      ? { drug: 'esketamine', route, dose_mg: 28 * Number(devices), device_count: Number(devices), lot_number: lot }
      : {
          drug: 'ketamine',
          route,
          dose_mg: Number(dose),
          lot_number: lot,
          ...(route === 'iv' && rate.trim() ? { rate_mg_per_h: Number(rate) } : {}),
        };
    try {
      onRecorded(await post<Administration>(`/sessions/${sessionId}/administrations`, body));
      setLot('');
    } catch (caught) {
      setError(errorText(caught).message);
    }
  };

  return (
    <section class="drug-entry" aria-labelledby="drug-title">
      <h2 id="drug-title">{t('drug.title')}</h2>
      {dosing ? (
        <form
          class="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void give();
          }}
        >
          {esketamine ? (
            <div class="field">
              <label for="drug-devices">{t('drug.devices')}</label>
              <select id="drug-devices" value={devices} onChange={(e) => setDevices((e.target as HTMLSelectElement).value)}>
                {[1, 2, 3].map((n) => (
                  <option key={n} value={String(n)}>
                    {t('drug.deviceOption', { count: n, mg: 28 * n })}
                  </option>
                ))}
              </select>
            </div>
          ) : (
            <>
              <div class="field">
                <label for="drug-dose">{t('drug.dose')}</label>
                <input id="drug-dose" inputMode="decimal" value={dose} onInput={(e) => setDose((e.target as HTMLInputElement).value)} />
              </div>
              {route === 'iv' ? (
                <div class="field">
                  <label for="drug-rate">{t('drug.rate')}</label>
                  <input id="drug-rate" inputMode="decimal" value={rate} onInput={(e) => setRate((e.target as HTMLInputElement).value)} />
                </div>
              ) : null}
            </>
          )}
          <div class="field">
            <label for="drug-lot">{t('drug.lot')}</label>
            <input id="drug-lot" value={lot} onInput={(e) => setLot((e.target as HTMLInputElement).value)} />
          </div>
          <button type="submit" class="button-primary">
            {esketamine ? t('drug.giveDevices') : route === 'iv' ? t('drug.startInfusion') : t('drug.give')}
          </button>
        </form>
      ) : null}
      {running.map((a) => (
        <RunningInfusion key={a.id} administration={a} onStopped={onRecorded} />
      ))}
      <FormError id="drug-error" message={error} />
    </section>
  );
}

// A running infusion and its stop, its own session step: the amount actually given (the whole dose unless changed)
// and, when less was given, why it stopped early. The stop's time is now (the clinic's clock on the server).
function RunningInfusion({
  administration,
  onStopped,
}: {
  administration: Administration;
  onStopped: (administration: Administration) => void;
}): JSX.Element {
  const [given, setGiven] = useState(String(administration.dose_mg));
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const early = given.trim() !== '' && Number(given) < administration.dose_mg;
  const ids = `infusion-${administration.id}`;

  const stop = async (): Promise<void> => {
    setError(null);
    try {
      onStopped(
        await post<Administration>(`/administrations/${administration.id}/stop`, {
          given_mg: Number(given),
          ...(early && reason ? { early_stop_reason: reason } : {}),
        }),
      );
    } catch (caught) {
      setError(errorText(caught).message);
    }
  };

  return (
    <form
      class="inline-form running-infusion"
      onSubmit={(e) => {
        e.preventDefault();
        void stop();
      }}
    >
      <p>{t('drug.running', { dose: formatQuantity(administration.dose_mg, 'mg') })}</p>
      <div class="field">
        <label for={`${ids}-given`}>{t('drug.givenMg')}</label>
        <input id={`${ids}-given`} inputMode="decimal" value={given} onInput={(e) => setGiven((e.target as HTMLInputElement).value)} />
      </div>
      {early ? (
        <div class="field">
          <label for={`${ids}-reason`}>{t('drug.earlyStopReason')}</label>
          <select id={`${ids}-reason`} value={reason} onChange={(e) => setReason((e.target as HTMLSelectElement).value)}>
            <option value="">{t('drug.earlyStopChoose')}</option>
            {EARLY_STOP_REASONS.map((r) => (
              <option key={r} value={r}>
                {t(`drug.earlyStop.${r}`)}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <button type="submit" class="button-primary">
        {t('drug.stopInfusion')}
      </button>
      <FormError id={`${ids}-error`} message={error} />
    </form>
  );
}

export const AE_TERMS = [
  'nausea', 'vomiting', 'dizziness', 'vertigo', 'headache', 'sedation', 'dissociation', 'respiratory_depression',
  'bp_above_limit', 'tachycardia', 'bradycardia', 'supplemental_oxygen_given', 'respiratory_rate_abnormal',
  'anxiety_panic', 'agitation_emergence_reaction', 'hallucinations', 'euphoria', 'confusion',
  'suicidal_ideation_new_or_worse', 'mania_hypomania', 'hypoesthesia_paraesthesia', 'dysgeusia',
  'blurred_vision_diplopia', 'nystagmus', 'dysarthria', 'tremor', 'nasal_discomfort_throat_irritation',
  'infusion_site_reaction', 'urinary_symptoms', 'lft_abnormality', 'cognitive_complaints', 'craving_escalating_use',
  'diversion_missing_doses', 'abuse_misuse', 'fall', 'driving_incident', 'pregnancy', 'other_serious',
] as const;

const AE_ACTIONS = [
  'none', 'infusion_paused', 'infusion_stopped', 'dose_reduced', 'prn_drug_given', 'extended_observation',
  'supplemental_oxygen', 'ems_ed_transfer',
] as const;

export function AdverseEventForm({
  patientId,
  sessionId,
  onRecorded,
}: {
  patientId: number;
  sessionId: number;
  onRecorded: (event: AdverseEvent) => void;
}): JSX.Element {
  const [term, setTerm] = useState('');
  const [grade, setGrade] = useState('1');
  const [actions, setActions] = useState<string[]>([]);
  const [detail, setDetail] = useState('');
  const [error, setError] = useState<string | null>(null);

  const submit = async (): Promise<void> => {
    setError(null);
    try {
      const stored = await post<AdverseEvent>(`/patients/${patientId}/adverse-events`, {
        session_id: sessionId,
        term,
        grade: Number(grade),
        // The clinic's now (clock.ts: the server's clock when it runs a test clock), as every other time here.
        onset_at: new Date(clinicNow()).toISOString(),
        actions: actions.length > 0 ? actions : ['none'],
        ...(detail.trim() ? { detail } : {}),
      });
      onRecorded(stored);
      setTerm('');
      setActions([]);
      setDetail('');
    } catch (caught) {
      setError(errorText(caught).message);
    }
  };

  return (
    <details class="adverse-event">
      <summary>{t('ae.title')}</summary>
      <form
        class="form-stack"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <div class="field">
          <label for="ae-term">{t('ae.term')}</label>
          <select id="ae-term" value={term} onChange={(e) => setTerm((e.target as HTMLSelectElement).value)}>
            <option value="">{t('scales.choose')}</option>
            {AE_TERMS.map((name) => (
              <option key={name} value={name}>
                {t(`ae.term.${name}` as MessageKey)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="ae-grade">{t('ae.grade')}</label>
          <select id="ae-grade" value={grade} onChange={(e) => setGrade((e.target as HTMLSelectElement).value)}>
            {[1, 2, 3, 4, 5].map((g) => (
              <option key={g} value={String(g)}>
                {t('ae.gradeOption', { grade: g })}
              </option>
            ))}
          </select>
        </div>
        <fieldset>
          <legend>{t('ae.actions')}</legend>
          {AE_ACTIONS.map((action) => (
            <label class="check" key={action}>
              <input
                type="checkbox"
                checked={actions.includes(action)}
                onChange={(e) =>
                  setActions(
                    (e.target as HTMLInputElement).checked ? [...actions, action] : actions.filter((a) => a !== action),
                  )
                }
              />
              {t(`ae.action.${action}` as MessageKey)}
            </label>
          ))}
        </fieldset>
        <div class="field">
          <label for="ae-detail">{t('ae.detail')}</label>
          <textarea id="ae-detail" value={detail} onInput={(e) => setDetail((e.target as HTMLTextAreaElement).value)} />
        </div>
        <button type="submit" class="button-primary" disabled={term === ''}>
          {t('ae.record')}
        </button>
        <FormError id="ae-error" message={error} />
      </form>
    </details>
  );
}
