// The session screen (issue 12 §2), the heart of the product: the state in big words, the patient and route, the
// time since the first dose and the earliest discharge, the dose order, the next step(s) with the server's reason
// when one is refused, quick vital-sign entry, the live chart with the clinic's thresholds, alerts to acknowledge,
// MOAA/S and CADSS, the drug given, adverse events, and for esketamine the REMS form. It watches the session on the
// live channel and merges each event into what it loaded; after a gap it reads the record again.
import type { JSX } from 'preact';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { may, type Role } from '../../access';
import { ApiError } from '../../api';
import { formatDateTime, formatDuration, formatQuantity, formatTime, formatTimeSeconds } from '../../format';
import { t, type MessageKey } from '../../i18n';
import { useLiveTopic, type LiveEvent } from '../../live';
import { Page } from '../../page';
import { PrintButton, PrintHeader } from '../../print';
import { Link, type Params } from '../../router';
import { useSession } from '../../session';
import { AlertsPanel } from './alerts';
import { StepActions } from './actions';
import { refreshClinicClock, useClinicNow } from './clock';
import { AdverseEventForm, DrugEntry, ScalesEntry, VitalsEntry } from './entry';
import {
  FINISHED,
  IN_SESSION_INSTRUMENTS,
  LOINC,
  isEsketamine,
  loadScreen,
  routeKey,
  stateKeys,
  thresholdsOf,
  timerEnd,
  upsert,
  vitalText,
  type AdverseEvent,
  type Alert,
  type Administration,
  type Assessment,
  type SessionDetail,
  type SessionScreen,
  type Thresholds,
  type Vital,
} from './model';
import { PrnPanel, type PrnDose } from './prn';
import { RemsPanel } from './rems';
import { SessionSummary } from './summary';
import { VitalsChart } from './vitals-chart';
import '../shared.css';
import './session.css';

// The screen as loaded in one request (GET /api/v1/sessions/{id}/screen), with live events merged in, and the
// thresholds its chart draws.
interface Loaded extends SessionScreen {
  readonly thresholds: Thresholds;
}

async function loadSession(id: number): Promise<Loaded> {
  const [screen] = await Promise.all([loadScreen(id), refreshClinicClock()]);
  return { ...screen, thresholds: thresholdsOf(screen.alert_thresholds) };
}

function latestOf(vitals: readonly Vital[], loinc: string): Vital | undefined {
  const found = vitals.filter((v) => v.loinc === loinc && v.status !== 'entered-in-error');
  return found[found.length - 1];
}


// The timers, from the server's reading of the record (first_dose_at, earliest_discharge_at): the screen reads the
// record again whenever a dose or a step changes them.
function Timers({ loaded, now }: { loaded: Loaded; now: number }): JSX.Element {
  const first = loaded.first_dose_at;
  const end = timerEnd(loaded.session, now);
  const ended = FINISHED.has(loaded.session.state);
  const earliest = loaded.earliest_discharge_at === null ? undefined : Date.parse(loaded.earliest_discharge_at);
  return (
    <dl class="session-timers">
      <div>
        <dt>{t('session.sinceFirstDose')}</dt>
        <dd class="big num" data-testid="since-first-dose">
          {first ? formatDuration(end - Date.parse(first)) : t('session.noDoseYet')}
        </dd>
        {first ? <dd class="muted">{t('session.firstDoseAt', { time: formatTimeSeconds(first) })}</dd> : null}
        {first && ended ? (
          <dd class="muted" data-testid="timer-ended">
            {t('session.timerEnded', { time: formatTimeSeconds(loaded.session.state_changed_at) })}
          </dd>
        ) : null}
      </div>
      <div>
        <dt>{t('session.earliestDischarge')}</dt>
        <dd class="big num" data-testid="earliest-discharge">
          {earliest !== undefined ? formatTime(earliest) : t('session.notKnownYet')}
        </dd>
        {earliest !== undefined ? (
          <dd class="muted">{earliest > now ? t('session.inDuration', { duration: formatDuration(earliest - now) }) : t('session.reached')}</dd>
        ) : null}
      </div>
    </dl>
  );
}

const scoreKeys: Readonly<Record<string, MessageKey>> = {
  moaas: 'scales.item.moaas',
  cadss: 'scales.item.cadss',
  cadss6: 'scales.item.cadss6',
};

// The MOAA/S and CADSS ratings of the session, latest first, each with its time.
function ScoresList({ scores }: { scores: readonly Assessment[] }): JSX.Element {
  const valid = scores.filter((s) => !s.entered_in_error).reverse();
  return (
    <div class="session-scores">
      <h3>{t('scales.recorded')}</h3>
      {valid.length === 0 ? (
        <p class="muted">{t('scales.noneYet')}</p>
      ) : (
        <ul>
          {valid.map((s) => (
            <li key={s.id} data-instrument={s.instrument}>
              {t(scoreKeys[s.instrument] ?? 'scales.item.cadss', {
                total: s.total ?? '',
                band: (s.band ?? '').replace(/_/g, ' '),
                time: formatTime(s.assessed_at),
              })}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

// The states in which a prescriber may sign the session's order (docs/api.md, POST /sessions/{id}/dose-order: 409
// in any other).
const ORDER_STATES: ReadonlySet<SessionDetail['state']> = new Set(['checked_in', 'held', 'pre_dose_ok']);

function DoseOrderSummary({ session, role }: { session: SessionDetail; role: Role }): JSX.Element {
  const order = session.dose_order;
  if (!order) {
    // The prescriber who opens the session while it waits for the order goes from here to sign it.
    const maySign = may(role, 'dose_order.sign') && ORDER_STATES.has(session.state);
    return (
      <section class="dose-order" aria-labelledby="order-title">
        <h2 id="order-title">{t('order.title')}</h2>
        <p class="muted">{t('order.none')}</p>
        {maySign ? (
          <p>
            <Link class="button-link" href={`/patients/${session.patient_id}/sessions/${session.id}/dose-order`}>
              {t('order.sign')}
            </Link>
          </p>
        ) : null}
      </section>
    );
  }
  const o = order.order;
  // Each line of the order that it has, with its unit.
  const facts: [string, string][] = [[t('order.total'), formatQuantity(o.total_mg, 'mg')]];
  if (o.weight_used_kg !== undefined) facts.push([t('order.weight'), formatQuantity(o.weight_used_kg, 'kg')]);
  if (order.request.mg_per_kg !== undefined) facts.push([t('order.mgPerKg'), formatQuantity(order.request.mg_per_kg, 'mg/kg')]);
  if (o.minutes !== undefined) facts.push([t('order.minutes'), formatQuantity(o.minutes, 'min')]);
  if (o.rate_mg_per_h !== undefined) facts.push([t('order.rate'), formatQuantity(o.rate_mg_per_h, 'mg/h')]);
  if (o.devices !== undefined) facts.push([t('order.devices'), t('order.devicesValue', { count: o.devices })]);
  facts.push([t('order.signed'), t('order.signedBy', { who: order.prescriber, time: formatDateTime(order.signed_at) })]);
  return (
    <section class="dose-order" aria-labelledby="order-title">
      <h2 id="order-title">{t('order.title')}</h2>
      <dl class="facts">
        {facts.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd class="num">{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

export function SessionPage({ params }: { params: Params }): JSX.Element {
  const id = Number(params.id);
  const { user } = useSession();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const now = useClinicNow();

  // Changes made while a read of the record is in flight (live events, this screen's own answers) are replayed on
  // what it reads, so a read that started before them never takes them away.
  const inFlight = useRef<((current: Loaded) => Loaded)[] | null>(null);

  const reload = useCallback(async () => {
    const replay: ((current: Loaded) => Loaded)[] = [];
    inFlight.current = replay;
    try {
      let fresh = await loadSession(id);
      for (const change of replay) fresh = change(fresh);
      setLoaded(fresh);
      setFailure(null);
    } catch (error) {
      setFailure(error instanceof ApiError ? error.message : String(error));
    } finally {
      if (inFlight.current === replay) inFlight.current = null;
    }
  }, [id]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const merge = useCallback((change: (current: Loaded) => Loaded) => {
    inFlight.current?.push(change);
    setLoaded((current) => (current ? change(current) : current));
  }, []);

  const addVital = useCallback(
    (vital: Vital) => merge((c) => ({ ...c, vitals: c.vitals.some((v) => v.id === vital.id) ? c.vitals : [...c.vitals, vital] })),
    [merge],
  );
  const putAlert = useCallback((alert: Alert) => merge((c) => ({ ...c, alerts: upsert(c.alerts, alert) })), [merge]);
  // A rating of the patient while the session is open is the session's (the server's rule: taken while in progress).
  const putScore = useCallback(
    (score: Assessment) =>
      merge((c) =>
        IN_SESSION_INSTRUMENTS.has(score.instrument) && !FINISHED.has(c.session.state)
          ? { ...c, scores: upsert(c.scores, score) }
          : c,
      ),
    [merge],
  );
  // A dose moves the timers, which the server computes: shown at once, then read again.
  const putAdministration = useCallback(
    (a: Administration) => {
      merge((c) => ({ ...c, session: { ...c.session, administrations: upsert(c.session.administrations ?? [], a) } }));
      void reload();
    },
    [merge, reload],
  );
  // A PRN dose given or answered, here or in another tab: into the doses and the session's medications.
  const putPrnDose = useCallback(
    (dose: PrnDose) =>
      merge((c) => ({
        ...c,
        prn_doses: upsert(c.prn_doses, dose),
        session: { ...c.session, medications: upsert(c.session.medications ?? [], dose) },
      })),
    [merge],
  );
  const setSession = useCallback(
    (next: SessionDetail) => {
      merge((c) => ({
        ...c,
        session: {
          ...c.session,
          ...next,
          dose_order: next.dose_order ?? c.session.dose_order,
          administrations: next.administrations ?? c.session.administrations,
          transitions: next.transitions ?? c.session.transitions,
          medications: next.medications ?? c.session.medications,
        },
      }));
      void refreshClinicClock();
    },
    [merge],
  );

  const handlers = useMemo(
    () => ({
      onEvent: (event: LiveEvent) => {
        const record = event.record as never;
        if (event.type === 'vital_sign') addVital(record);
        else if (event.type === 'alert' || event.type === 'alert_acknowledged') putAlert(record);
        else if (event.type === 'assessment') putScore(record);
        else if (event.type === 'administration') putAdministration(record);
        else if (event.type === 'prn_dose') putPrnDose(record);
        else if (event.type === 'session_state') {
          // The state event carries the session without its transitions: read the record for the timers' inputs.
          setSession(record);
          void reload();
        }
      },
      onResync: () => void reload(),
    }),
    [addVital, putAlert, putScore, putAdministration, putPrnDose, setSession, reload],
  );
  useLiveTopic(Number.isFinite(id) ? { session_id: id } : null, handlers);

  if (failure && !loaded) {
    return (
      <Page title={t('session.title', { id: params.id ?? '' })}>
        <p class="notice notice-error" role="alert">
          {failure}
        </p>
        <p>
          <Link href="/board">{t('session.backToBoard')}</Link>
        </p>
      </Page>
    );
  }
  if (!loaded || !user) {
    return (
      <Page title={t('session.title', { id: params.id ?? '' })}>
        <p role="status">{t('app.loading')}</p>
      </Page>
    );
  }

  const { session, patient, course, route } = loaded;
  const earliest = loaded.earliest_discharge_at === null ? undefined : Date.parse(loaded.earliest_discharge_at);
  const latest = [LOINC.bloodPressure, LOINC.heartRate, LOINC.spo2, LOINC.respiratoryRate]
    .map((code) => latestOf(loaded.vitals, code))
    .filter((v): v is Vital => v !== undefined);
  const name = `${patient.family_name}, ${patient.given_name}`;
  const finished = FINISHED.has(session.state);
  const editable = !finished && user.role !== 'therapist';
  return (
    <Page
      title={t('session.heading', { name, number: session.number })}
      actions={finished ? <PrintButton label={t('session.printSummary')} /> : undefined}
      printHeader={<PrintHeader patient={patient} document={t('print.sessionDocument', { number: session.number })} />}
    >
      <p class="session-subtitle">
        <Link href="/board">{t('session.backToBoard')}</Link> · <Link href={`/patients/${patient.id}`}>{t('session.openChart')}</Link> ·{' '}
        {t('session.mrn', { mrn: patient.mrn })} ·{' '}
        <strong>{t(routeKey(route))}</strong> · {course.indication}
      </p>
      <div class="session-top">
        <p class={`state-badge state-${session.state}`} data-state={session.state} role="status" aria-live="polite">
          <span class="state-label">{t('session.stateLabel')}</span>
          <span class="state-value">{t(stateKeys[session.state])}</span>
          {session.state_reason ? <span class="state-reason">{session.state_reason}</span> : null}
        </p>
        <Timers loaded={loaded} now={now} />
      </div>
      {failure ? (
        <p class="notice notice-error" role="alert">
          {failure}
        </p>
      ) : null}
      <div class="session-grid">
        <div class="session-main">
          <StepActions session={session} role={user.role} earliestDischarge={earliest} now={now} onChanged={setSession} />
          {editable ? <VitalsEntry patientId={patient.id} sessionId={session.id} onRecorded={(v, alerts) => {
            addVital(v);
            for (const alert of alerts) putAlert(alert);
          }} /> : null}
          <section aria-labelledby="chart-title">
            <h2 id="chart-title">{t('vitalsChart.title')}</h2>
            <p class="latest-vitals">
              {latest.length === 0
                ? t('vitals.noneYet')
                : latest.map((v) => (
                    <span key={v.id} class="latest-vital" data-loinc={v.loinc}>
                      {vitalText(v)} <span class="muted">({formatTime(v.observed_at)})</span>
                    </span>
                  ))}
            </p>
            <VitalsChart vitals={loaded.vitals} thresholds={loaded.thresholds} />
          </section>
          {editable ? (
            <DrugEntry
              sessionId={session.id}
              route={route}
              order={session.dose_order}
              administrations={session.administrations ?? []}
              dosing={session.state === 'dosing'}
              onRecorded={putAdministration}
            />
          ) : null}
          <PrnPanel
            sessionId={session.id}
            doses={loaded.prn_doses}
            medications={session.medications ?? []}
            standingOrders={loaded.standing_orders}
            oneOffOrders={loaded.one_off_orders}
            canGive={editable && session.checked_in_at !== undefined && may(user.role, 'prn_dose.give')}
            onChanged={putPrnDose}
          />
          <section class="scales" aria-labelledby="scales-title">
            <h2 id="scales-title">{t('scales.title')}</h2>
            {editable ? (
              <ScalesEntry
                patientId={patient.id}
                onRecorded={(score, alerts) => {
                  putScore(score);
                  for (const alert of alerts) putAlert(alert);
                }}
              />
            ) : null}
            <ScoresList scores={loaded.scores} />
          </section>
        </div>
        <aside class="session-side">
          <AlertsPanel alerts={loaded.alerts} onChanged={putAlert} />
          <DoseOrderSummary session={session} role={user.role} />
          <section aria-labelledby="ae-list-title">
            <h2 id="ae-list-title">{t('ae.listTitle')}</h2>
            {loaded.adverse_events.length === 0 ? <p class="muted">{t('ae.none')}</p> : null}
            <ul>
              {loaded.adverse_events.map((e) => (
                <li key={e.id}>
                  {t('ae.item', { term: e.term.replace(/_/g, ' '), grade: e.grade, time: formatTime(e.onset_at) })}
                  {e.serious ? ` · ${t('ae.serious')}` : ''}
                </li>
              ))}
            </ul>
            {editable ? (
              <AdverseEventForm
                patientId={patient.id}
                sessionId={session.id}
                onRecorded={(e: AdverseEvent) => merge((c) => ({ ...c, adverse_events: upsert(c.adverse_events, e) }))}
              />
            ) : null}
          </section>
        </aside>
      </div>
      {finished ? <SessionSummary session={session} vitals={loaded.vitals} alerts={loaded.alerts} /> : null}
      {isEsketamine(route) && session.state === 'discharged' ? <RemsPanel sessionId={session.id} /> : null}
    </Page>
  );
}
