// The prescriber's dose order for one session (issue 12 §2): the request with the limits the clinic has set (the
// `dose.*` settings, each with its allowed range and source), signed through POST /api/v1/sessions/{id}/dose-order.
// The server computes the order with the clinical core; this screen never computes a dose. A value the API refuses
// is shown next to its field with the API's reason (422 out of range, 409 weight_kg against the recorded weight,
// which the prescriber may accept with a reason). The signed order is shown step by step: weight, basis, mg/kg,
// total, then the rate or the devices, with the core's notes.
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { get, post, type Page as ApiPage } from '../../api';
import { formatDate, formatDateTime, formatQuantity } from '../../format';
import { t } from '../../i18n';
import { Page } from '../../page';
import { Link, type Params } from '../../router';
import { PatientSections } from '../../views/placeholders';
import { latestWeight } from './chart';
import { useDraft } from '../../draft';
import { asApiError, Field, fieldError, FormError, LoadState, numberOrUndefined, useSubmit, type Refusal } from './form';
import type { Course, DoseOrderRecord, SessionRecord, Setting, Weight } from './types';

interface Loaded {
  session: SessionRecord;
  course: Course;
  weight: Weight | undefined;
  limits: Setting[];
}

async function load(patientId: string, sessionId: string): Promise<Loaded> {
  const session = await get<SessionRecord>(`/sessions/${encodeURIComponent(sessionId)}`);
  const [course, weights, settings] = await Promise.all([
    get<Course>(`/courses/${session.course_id}`),
    get<ApiPage<Weight>>(`/patients/${encodeURIComponent(patientId)}/weights`, { limit: 500 }),
    get<{ settings: Setting[] }>('/settings'),
  ]);
  return {
    session,
    course,
    weight: latestWeight(weights.items),
    limits: settings.settings.filter((setting) => setting.name.startsWith('dose.')),
  };
}

type FieldName =
  | 'weight_kg'
  | 'mg_per_kg'
  | 'minutes'
  | 'concentration_mg_per_ml'
  | 'dose_mg'
  | 'age_years'
  | 'height_cm';

// The request's fields each route takes (docs/api.md "POST /api/v1/sessions/{id}/dose-order"; clinical/dose.hpp).
function fieldsOf(route: string): FieldName[] {
  switch (route) {
    case 'iv':
      return ['weight_kg', 'mg_per_kg', 'minutes', 'concentration_mg_per_ml', 'height_cm'];
    case 'im':
      return ['weight_kg', 'mg_per_kg', 'concentration_mg_per_ml', 'height_cm'];
    case 'esketamine-nasal':
      return ['weight_kg', 'dose_mg', 'age_years'];
    default:
      return ['weight_kg', 'dose_mg', 'mg_per_kg'];
  }
}

const FIELD_UNITS: Readonly<Record<FieldName, string>> = {
  weight_kg: 'kg',
  mg_per_kg: 'mg/kg',
  minutes: 'min',
  concentration_mg_per_ml: 'mg/mL',
  dose_mg: 'mg',
  age_years: 'years',
  height_cm: 'cm',
};

function Steps({ record }: { record: DoseOrderRecord }): JSX.Element {
  const { order, request } = record;
  const steps: string[] = [t('dose.step.weight', { weight: formatQuantity(request.weight_kg, 'kg') })];
  if (record.weight_reason) steps.push(t('dose.step.weightReason', { reason: record.weight_reason }));
  steps.push(
    t('dose.step.basis', {
      basis: t(`dose.basis.${order.weight_basis === 'ideal' || order.weight_basis === 'adjusted' ? order.weight_basis : 'actual'}`),
      weight: formatQuantity(order.weight_used_kg, 'kg'),
    }),
  );
  if (order.ideal_body_weight_kg !== undefined) {
    steps.push(t('dose.step.ideal', { weight: formatQuantity(order.ideal_body_weight_kg, 'kg') }));
  }
  if (order.mg_per_kg !== undefined) {
    steps.push(
      t('dose.step.perKg', {
        perKg: formatQuantity(order.mg_per_kg, 'mg/kg', 2),
        weight: formatQuantity(order.weight_used_kg, 'kg'),
        total: formatQuantity(order.total_mg, 'mg'),
      }),
    );
  }
  steps.push(t('dose.step.total', { total: formatQuantity(order.total_mg, 'mg') }));
  if (order.minutes !== undefined && order.rate_mg_per_h !== undefined) {
    steps.push(
      t('dose.step.rate', {
        total: formatQuantity(order.total_mg, 'mg'),
        minutes: formatQuantity(order.minutes, 'min'),
        rate: formatQuantity(order.rate_mg_per_h, 'mg/h'),
      }),
    );
  }
  if (order.volume_ml !== undefined) {
    steps.push(
      t('dose.step.volume', {
        volume: t('dose.ml', { value: order.volume_ml }),
        rate: order.rate_ml_per_h !== undefined ? formatQuantity(order.rate_ml_per_h, 'mL/h') : '—',
      }),
    );
  }
  if (order.devices !== undefined) {
    steps.push(
      t('dose.step.devices', {
        devices: order.devices,
        rest: formatQuantity(order.rest_minutes_between_devices ?? 0, 'min'),
        span: formatQuantity(order.min_administration_minutes ?? 0, 'min'),
      }),
    );
  }
  return (
    <section aria-labelledby="dose-signed" class="dose-signed">
      <h2 id="dose-signed">{t('dose.signedTitle')}</h2>
      <p role="status">{t('dose.signedBy', { by: record.prescriber, at: formatDateTime(record.signed_at) })}</p>
      <ol class="dose-steps">
        {steps.map((step) => (
          <li key={step}>{step}</li>
        ))}
      </ol>
      {order.notes.length ? (
        <>
          <h3>{t('dose.notes')}</h3>
          <ul>
            {order.notes.map((note) => (
              <li key={note}>{note}</li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

// A setting's value with the unit its allowed range is written in ("0.1..1 mg/kg" gives "1 mg/kg").
function withUnit(setting: Setting): string {
  const unit = setting.allowed.split(' ').slice(1).join(' ');
  return unit ? `${String(setting.value)} ${unit}` : String(setting.value);
}

function Limits({ limits }: { limits: Setting[] }): JSX.Element {
  return (
    <section aria-labelledby="dose-limits" class="dose-limits">
      <h2 id="dose-limits">{t('dose.limits')}</h2>
      <table class="data-table">
        <thead>
          <tr>
            <th scope="col">{t('dose.limitName')}</th>
            <th scope="col">{t('dose.limitValue')}</th>
            <th scope="col">{t('dose.limitAllowed')}</th>
            <th scope="col">{t('dose.limitSource')}</th>
          </tr>
        </thead>
        <tbody>
          {limits.map((limit) => (
            <tr key={limit.name}>
              <th scope="row">
                {limit.description} <span class="muted">({limit.name})</span>
              </th>
              <td class="num">{withUnit(limit)}</td>
              <td>{limit.allowed}</td>
              <td>{limit.source}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="muted">{t('dose.limitsNote')}</p>
    </section>
  );
}

function OrderForm({ loaded, onSigned }: { loaded: Loaded; onSigned: (record: DoseOrderRecord) => void }) {
  const route = loaded.course.route;
  const fields = fieldsOf(route);
  const draft = useDraft<Record<string, string>>('dose-order', {
    weight_kg: loaded.weight ? String(loaded.weight.weight_kg) : '',
  });
  const values = draft.value;
  const setValues = draft.set;
  const [basis, setBasis] = useState('actual');
  const [sex, setSex] = useState('');
  const [indication, setIndication] = useState(loaded.course.protocol === 'esketamine-si' ? 'si' : 'trd');
  const [weightReason, setWeightReason] = useState('');
  const { refusal, busy, run } = useSubmit();
  const weightDisputed = refusal?.field === 'weight_kg' && refusal.code === 'failed_precondition';

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const body: Record<string, unknown> = { route };
    for (const field of fields) {
      const text = values[field] ?? '';
      if (text.trim() !== '') body[field] = numberOrUndefined(text) ?? text;
    }
    if (route === 'iv' || route === 'im') {
      body.weight_basis = basis;
      if (basis !== 'actual' && sex) body.sex = sex;
    }
    if (route === 'esketamine-nasal') body.indication = indication;
    if (weightReason.trim()) body.weight_reason = weightReason.trim();
    await run(async () => {
      const record = await post<DoseOrderRecord>(`/sessions/${loaded.session.id}/dose-order`, body);
      draft.clear();
      onSigned(record);
    });
  };

  const shown = [...fields, 'weight_basis', 'sex', 'indication', 'weight_reason'];
  return (
    <form class="form-grid" aria-labelledby="dose-form" onSubmit={(event) => void submit(event)} noValidate>
      <h2 id="dose-form">{t('dose.request', { route: t(`route.${route as 'iv'}`) })}</h2>
      <FormError refusal={refusal} shownFields={shown} />
      {fields.map((field) => (
        <Field
          key={field}
          id={`dose-${field}`}
          label={t(`dose.field.${field}`)}
          hint={
            field === 'weight_kg' && loaded.weight
              ? t('dose.recordedWeight', {
                  weight: formatQuantity(loaded.weight.weight_kg, 'kg'),
                  at: formatDateTime(loaded.weight.measured_at),
                })
              : t('dose.unit', { unit: FIELD_UNITS[field] })
          }
          error={fieldError(refusal, field)}
        >
          {(d) => (
            <input
              id={`dose-${field}`}
              inputMode="decimal"
              value={values[field] ?? ''}
              onInput={(e) => setValues({ ...values, [field]: e.currentTarget.value })}
              {...d}
            />
          )}
        </Field>
      ))}
      {route === 'iv' || route === 'im' ? (
        <>
          <Field id="dose-basis" label={t('dose.field.weight_basis')} error={fieldError(refusal, 'weight_basis')}>
            {(d) => (
              <select id="dose-basis" value={basis} onChange={(e) => setBasis(e.currentTarget.value)} {...d}>
                <option value="actual">{t('dose.basis.actual')}</option>
                <option value="ideal">{t('dose.basis.ideal')}</option>
                <option value="adjusted">{t('dose.basis.adjusted')}</option>
              </select>
            )}
          </Field>
          {basis !== 'actual' ? (
            <Field id="dose-sex" label={t('patients.sex')} error={fieldError(refusal, 'sex')}>
              {(d) => (
                <select id="dose-sex" value={sex} onChange={(e) => setSex(e.currentTarget.value)} {...d}>
                  <option value="">{t('register.choose')}</option>
                  <option value="female">{t('sex.female')}</option>
                  <option value="male">{t('sex.male')}</option>
                </select>
              )}
            </Field>
          ) : null}
        </>
      ) : null}
      {route === 'esketamine-nasal' ? (
        <Field id="dose-indication" label={t('dose.field.indication')} error={fieldError(refusal, 'indication')}>
          {(d) => (
            <select id="dose-indication" value={indication} onChange={(e) => setIndication(e.currentTarget.value)} {...d}>
              <option value="trd">{t('dose.indication.trd')}</option>
              <option value="si">{t('dose.indication.si')}</option>
            </select>
          )}
        </Field>
      ) : null}
      {weightDisputed || weightReason ? (
        <Field
          id="dose-weight-reason"
          wide
          label={t('dose.field.weight_reason')}
          hint={t('dose.weightReasonHint')}
          error={fieldError(refusal, 'weight_reason')}
        >
          {(d) => (
            <textarea
              id="dose-weight-reason"
              rows={2}
              value={weightReason}
              onInput={(e) => setWeightReason(e.currentTarget.value)}
              {...d}
            />
          )}
        </Field>
      ) : null}
      <div class="form-actions">
        <button type="submit" class="button-primary" disabled={busy}>
          {t('dose.sign')}
        </button>
      </div>
    </form>
  );
}

export function DoseOrderPage({ params }: { params: Params }): JSX.Element {
  const patientId = params.id ?? '';
  const sessionId = params.session ?? '';
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<Refusal>(null);
  const [signed, setSigned] = useState<DoseOrderRecord | null>(null);
  useEffect(() => {
    let current = true;
    load(patientId, sessionId)
      .then((answer) => {
        if (!current) return;
        setLoaded(answer);
        setSigned(answer.session.dose_order ?? null);
      })
      .catch((cause: unknown) => {
        if (current) setError(asApiError(cause));
      });
    return () => {
      current = false;
    };
  }, [patientId, sessionId]);
  const session = loaded?.session;
  return (
    <Page title={session ? t('dose.title', { number: session.number }) : t('dose.titleLoading')}>
      <PatientSections id={patientId} />
      <p>
        <Link href={`/sessions/${encodeURIComponent(sessionId)}`}>{t('dose.backToSession')}</Link> ·{' '}
        <Link href={`/patients/${encodeURIComponent(patientId)}`}>{t('intake.backToChart')}</Link>
      </p>
      <LoadState error={error} loading={loaded === null} />
      {loaded && session ? (
        <>
          <p>
            {t('dose.session', {
              state: session.state.replace(/_/g, ' '),
              planned: formatDate(session.planned_date),
              protocol: loaded.course.protocol,
            })}
          </p>
          {signed ? <Steps record={signed} /> : <OrderForm loaded={loaded} onSigned={setSigned} />}
          <Limits limits={loaded.limits} />
        </>
      ) : null}
    </Page>
  );
}
