// A patient's chart (issue 12 §2): summary, diagnoses, allergies, current medications, antidepressant trials, the
// latest screening with each finding and its source, the courses with their planned and completed sessions, adverse
// events, notes, and the outcome chart; each part only for the roles that may read it (docs/security.md), so the
// front desk sees the demographics and the schedule only. The prescriber starts a course here. Prints cleanly.
//
// Two requests at most (issue 12 §1, "each screen should load in one or two requests"): a role holding chart.read
// reads GET /api/v1/patients/{id}/chart, which answers every clinical part and the outcome lines the server's rules
// put (docs/api.md "chart"), and the weights (patient.read), which the chart route does not carry; the front desk
// reads the patient and the schedule (patient.read, schedule.read), and no weight: a weight sets the dose, it is not
// what the front desk books by. The "Questionnaires" section (questionnaires.tsx) reads the patient's assigned
// questionnaires on its own, after the chart: it changes as the patient answers, apart from the chart's record.
import type { JSX } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { may, type Permission } from '../../access';
import { get, post, type Page as ApiPage } from '../../api';
import { formatDate, formatDateTime, formatQuantity } from '../../format';
import { t, type MessageKey } from '../../i18n';
import { Page } from '../../page';
import { PrintButton, PrintHeader } from '../../print';
import { Link, type Params } from '../../router';
import { useSession } from '../../session';
import { PatientSections } from '../../views/placeholders';
import { useDraft } from '../../draft';
import { asApiError, Field, fieldError, FormError, LoadState, useSubmit, type Refusal } from './form';
import { stateKeys } from '../session/model';
import { OutcomeChart } from './outcome-chart';
import { QuestionnaireAssignments } from './questionnaires';
import '../shared.css';
import './patients.css';
import {
  fullName,
  valid,
  type ChartCourse,
  type Course,
  type HistoryEntry,
  type Patient,
  type PatientChart,
  type Screening,
  type Trial,
  type Weight,
} from './types';

export interface ChartData {
  patient: Patient;
  // The chart route's answer, for the roles holding chart.read; null for the others (the front desk).
  clinical: PatientChart | null;
  // The weights, oldest first; null where the screen leaves them out (the front desk's chart).
  weights: Weight[] | null;
  // The courses with their sessions: the chart route's, or the schedule's (GET .../courses) for the front desk.
  courses: ChartCourse[] | null;
}

// The schedule's course (GET /api/v1/patients/{id}/courses) with the counts the chart route answers, counted as
// docs/api.md "chart" defines them: planned is every session not cancelled, completed every session discharged.
function withCounts(course: Course): ChartCourse {
  return {
    ...course,
    sessions_planned: course.sessions.filter((session) => session.state !== 'cancelled').length,
    sessions_completed: course.sessions.filter((session) => session.state === 'discharged').length,
  };
}

// Reads the chart of patient `id` in two requests at most, leaving out (null) what `allowed` does not permit.
export async function loadChart(id: string, allowed: (permission: Permission) => boolean): Promise<ChartData> {
  const base = `/patients/${encodeURIComponent(id)}`;
  if (allowed('chart.read')) {
    const [clinical, weights] = await Promise.all([
      get<PatientChart>(`${base}/chart`),
      get<ApiPage<Weight>>(`${base}/weights`, { limit: 500 }),
    ]);
    return { patient: clinical.patient, clinical, weights: weights.items, courses: clinical.courses };
  }
  const [patient, courses] = await Promise.all([
    get<Patient>(base),
    allowed('schedule.read') ? get<ApiPage<Course>>(`${base}/courses`, { limit: 500 }) : null,
  ]);
  return { patient, clinical: null, weights: null, courses: courses ? courses.items.map(withCounts) : null };
}

// The chart's render time in the browser's performance timeline (bench/web/run.mjs reads them; DevTools shows the
// measure): CHART_DATA_MARK when the chart's answers are parsed and handed to the screen, CHART_PAINTED_MARK once
// the screen with its outcome plots has been painted, and CHART_RENDER_MEASURE between them. One of each at a time:
// each load replaces the last, so a day of charts leaves nothing behind.
export const CHART_DATA_MARK = 'kclinic:chart-data';
export const CHART_PAINTED_MARK = 'kclinic:chart-painted';
export const CHART_RENDER_MEASURE = 'kclinic:chart-render';

// Marks CHART_PAINTED_MARK after the next paint. Called from the chart page's effect once data is shown: the outcome
// plots' own effects, which draw them, have run before it (Preact runs a child's effects before its parent's), so
// the frame after them shows the whole chart; a task queued from requestAnimationFrame runs once that frame is
// painted. Returns the cancellation for the effect's cleanup.
function markPaintedAfterNextFrame(): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const frame = requestAnimationFrame(() => {
    timer = setTimeout(() => {
      performance.clearMarks(CHART_PAINTED_MARK);
      performance.mark(CHART_PAINTED_MARK);
      performance.clearMeasures(CHART_RENDER_MEASURE);
      if (performance.getEntriesByName(CHART_DATA_MARK, 'mark').length > 0) {
        performance.measure(CHART_RENDER_MEASURE, CHART_DATA_MARK, CHART_PAINTED_MARK);
      }
    }, 0);
  });
  return () => {
    cancelAnimationFrame(frame);
    if (timer !== undefined) clearTimeout(timer);
  };
}

// The chart's data for the page of patient `id`; reload() reads it again after a change.
export function useChart(id: string): { data: ChartData | null; error: Refusal; reload: () => void } {
  const { user } = useSession();
  const [data, setData] = useState<ChartData | null>(null);
  const [error, setError] = useState<Refusal>(null);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (!user) return;
    let current = true;
    setError(null);
    loadChart(id, (permission) => may(user.role, permission))
      .then((loaded) => {
        if (!current) return;
        performance.clearMarks(CHART_DATA_MARK);
        performance.mark(CHART_DATA_MARK);
        setData(loaded);
      })
      .catch((cause: unknown) => {
        if (current) setError(asApiError(cause));
      });
    return () => {
      current = false;
    };
  }, [id, user, generation]);
  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { data, error, reload };
}

export function latestWeight(weights: readonly Weight[]): Weight | undefined {
  const usable = weights.filter((weight) => weight.status === 'final');
  return usable[usable.length - 1];
}

function Section({ id, title, children }: { id: string; title: string; children: JSX.Element | JSX.Element[] | null }) {
  return (
    <section class="chart-section" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

function Empty({ text }: { text: string }): JSX.Element {
  return <p class="muted">{text}</p>;
}

// The clinician by name where the chart route answers it, else the address the patient record holds (empty when
// none is named).
function clinicianOf(data: ChartData): string | undefined {
  return data.clinical?.clinician?.display_name || data.patient.clinician || undefined;
}

function Summary({ data }: { data: ChartData }): JSX.Element {
  const { patient, weights } = data;
  const weight = weights ? latestWeight(weights) : undefined;
  const clinician = clinicianOf(data);
  return (
    <dl class="summary-list">
      <div>
        <dt>{t('patients.mrn')}</dt>
        <dd>{patient.mrn}</dd>
      </div>
      <div>
        <dt>{t('patients.birthDate')}</dt>
        <dd>{formatDate(patient.birth_date)}</dd>
      </div>
      <div>
        <dt>{t('patients.sex')}</dt>
        <dd>{t(`sex.${patient.sex}`)}</dd>
      </div>
      <div>
        <dt>{t('chart.clinician')}</dt>
        <dd>{clinician ?? t('chart.noClinician')}</dd>
      </div>
      {weights ? (
        <div>
          <dt>{t('chart.weight')}</dt>
          <dd>
            {weight
              ? t('chart.weightOn', { weight: formatQuantity(weight.weight_kg, 'kg'), at: formatDateTime(weight.measured_at) })
              : t('chart.noWeight')}
          </dd>
        </div>
      ) : null}
    </dl>
  );
}

// Entries the chart route already chose (valid; medications not stopped).
function HistoryList({ entries, empty }: { entries: HistoryEntry[]; empty: string }) {
  if (entries.length === 0) return <Empty text={empty} />;
  return (
    <ul class="plain-list">
      {entries.map((entry) => (
        <li key={entry.id}>
          <strong>{entry.value}</strong>{' '}
          <span class="muted">{t('chart.noted', { at: formatDate(entry.noted_at.slice(0, 10)), by: entry.noted_by })}</span>
        </li>
      ))}
    </ul>
  );
}

export function TrialTable({ trials }: { trials: Trial[] }): JSX.Element {
  const shown = valid(trials);
  if (shown.length === 0) return <Empty text={t('chart.noTrials')} />;
  return (
    <table class="data-table">
      <thead>
        <tr>
          <th scope="col">{t('trial.drug')}</th>
          <th scope="col">{t('trial.weeks')}</th>
          <th scope="col">{t('trial.adequateDose')}</th>
          <th scope="col">{t('trial.improvement')}</th>
          <th scope="col">{t('trial.currentEpisode')}</th>
        </tr>
      </thead>
      <tbody>
        {shown.map((trial) => (
          <tr key={trial.id}>
            <td>{trial.drug}</td>
            <td class="num">{t('trial.weeksValue', { value: trial.weeks })}</td>
            <td>{trial.adequate_dose ? t('common.yes') : t('common.no')}</td>
            <td class="num">{formatQuantity(trial.improvement_percent, '%')}</td>
            <td>{trial.current_episode ? t('common.yes') : t('common.no')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function decisionKey(decision: string): MessageKey {
  switch (decision) {
    case 'eligible':
      return 'screening.decision.eligible';
    case 'eligible_with_cautions':
      return 'screening.decision.eligible_with_cautions';
    case 'needs_review':
      return 'screening.decision.needs_review';
    default:
      return 'screening.decision.not_eligible';
  }
}

// One screening: its decision in words (and an icon-free badge: the words carry it), each finding with its
// severity, message and source, and the prescriber's signature.
export function ScreeningView({ screening }: { screening: Screening }): JSX.Element {
  const signature = screening.signature;
  return (
    <div class="screening">
      <p>
        <span class={`badge badge-${screening.result.decision}`}>{t(decisionKey(screening.result.decision))}</span>{' '}
        {t('screening.meta', {
          product: screening.inputs.product,
          at: formatDateTime(screening.screened_at),
          by: screening.screened_by,
        })}
      </p>
      {screening.result.findings.length === 0 ? (
        <Empty text={t('screening.noFindings')} />
      ) : (
        <table class="data-table findings">
          <thead>
            <tr>
              <th scope="col">{t('screening.severity')}</th>
              <th scope="col">{t('screening.finding')}</th>
              <th scope="col">{t('screening.source')}</th>
            </tr>
          </thead>
          <tbody>
            {screening.result.findings.map((finding) => (
              <tr key={finding.rule}>
                <td>
                  <span class={`severity severity-${finding.severity}`}>{finding.severity}</span>
                </td>
                <td>
                  {finding.message} <span class="muted">({finding.rule})</span>
                </td>
                <td>{finding.source}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p class="signature" role="status">
        {signature
          ? signature.sign_off === 'accepted'
            ? t('screening.signedAccepted', { by: signature.signed_by, at: formatDateTime(signature.signed_at) })
            : t('screening.signedOverridden', {
                by: signature.signed_by,
                at: formatDateTime(signature.signed_at),
                reason: signature.reason ?? '',
              })
          : t('screening.unsigned')}
      </p>
    </div>
  );
}

const DOSE_STATES = new Set(['checked_in', 'held', 'pre_dose_ok']);

function CourseView({
  course,
  patientId,
  mayOrder,
  mayOpenSession,
}: {
  course: ChartCourse;
  patientId: number;
  mayOrder: boolean;
  mayOpenSession: boolean;
}) {
  return (
    <article class="course" aria-labelledby={`course-${course.id}`}>
      <h3 id={`course-${course.id}`}>
        {t('course.heading', { indication: course.indication, protocol: course.protocol, route: course.route })}
      </h3>
      <p>
        {t('course.meta', {
          status: course.status,
          start: formatDate(course.start_date),
          completed: course.sessions_completed,
          planned: course.sessions_planned,
        })}
        {course.screening_override_reason
          ? ` ${t('course.overrideReason', { reason: course.screening_override_reason })}`
          : ''}
      </p>
      <table class="data-table">
        <thead>
          <tr>
            <th scope="col">{t('course.number')}</th>
            <th scope="col">{t('course.plannedDate')}</th>
            <th scope="col">{t('course.phase')}</th>
            <th scope="col">{t('course.state')}</th>
            {mayOrder ? <th scope="col">{t('course.doseOrder')}</th> : null}
          </tr>
        </thead>
        <tbody>
          {course.sessions.map((session) => (
            <tr key={session.id}>
              <td class="num">
                {mayOpenSession ? (
                  // The name says where it goes and keeps the number seen (WCAG 2.5.3, label in name).
                  <Link href={`/sessions/${session.id}`} aria-label={t('course.openSession', { number: session.number })}>
                    {session.number}
                  </Link>
                ) : (
                  session.number
                )}
              </td>
              <td>{formatDate(session.planned_date)}</td>
              <td>{t('course.phaseWeek', { phase: session.phase, week: session.week })}</td>
              <td>{session.state === 'discharged' ? t('course.completed') : t(stateKeys[session.state])}</td>
              {mayOrder ? (
                <td>
                  {DOSE_STATES.has(session.state) || session.state === 'dosing' ? (
                    <Link href={`/patients/${patientId}/sessions/${session.id}/dose-order`}>
                      {t('course.openDoseOrder', { number: session.number })}
                    </Link>
                  ) : null}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </article>
  );
}

interface CourseForm {
  indication: string;
  protocol: string;
  route: string;
  start_date: string;
  screening_override_reason: string;
}

const COURSE_FIELDS = ['indication', 'protocol', 'route', 'start_date', 'screening_override_reason', 'screening'];

function StartCourse({ patientId, onStarted }: { patientId: number; onStarted: () => void }): JSX.Element {
  const draft = useDraft<CourseForm>('course', {
    indication: '',
    protocol: 'iv-induction',
    route: 'iv',
    start_date: '',
    screening_override_reason: '',
  });
  const form = draft.value;
  const setForm = draft.set;
  const { refusal, busy, run } = useSubmit(onStarted);
  const set = (name: keyof CourseForm) => (event: { currentTarget: { value: string } }) =>
    setForm({ ...form, [name]: event.currentTarget.value });
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const body: Record<string, string> = {
      indication: form.indication.trim(),
      protocol: form.protocol,
      route: form.route,
      start_date: form.start_date,
    };
    if (form.screening_override_reason.trim()) body.screening_override_reason = form.screening_override_reason.trim();
    if (await run(() => post(`/patients/${patientId}/courses`, body))) draft.clear();
  };
  return (
    <form class="form-grid no-print" aria-labelledby="start-course" onSubmit={(event) => void submit(event)} noValidate>
      <h3 id="start-course">{t('course.start')}</h3>
      <FormError refusal={refusal} shownFields={COURSE_FIELDS} />
      <Field id="course-indication" label={t('course.indication')} error={fieldError(refusal, 'indication')}>
        {(d) => <input id="course-indication" value={form.indication} onInput={set('indication')} {...d} />}
      </Field>
      <Field id="course-protocol" label={t('course.protocol')} error={fieldError(refusal, 'protocol')}>
        {(d) => (
          <select id="course-protocol" value={form.protocol} onChange={set('protocol')} {...d}>
            <option value="iv-induction">{t('protocol.iv-induction')}</option>
            <option value="esketamine-trd">{t('protocol.esketamine-trd')}</option>
            <option value="esketamine-si">{t('protocol.esketamine-si')}</option>
          </select>
        )}
      </Field>
      <Field id="course-route" label={t('course.route')} error={fieldError(refusal, 'route')}>
        {(d) => (
          <select id="course-route" value={form.route} onChange={set('route')} {...d}>
            <option value="iv">{t('route.iv')}</option>
            <option value="esketamine-nasal">{t('route.esketamine-nasal')}</option>
            <option value="im">{t('route.im')}</option>
            <option value="oral">{t('route.oral')}</option>
            <option value="sublingual">{t('route.sublingual')}</option>
          </select>
        )}
      </Field>
      <Field id="course-start" label={t('course.startDate')} error={fieldError(refusal, 'start_date')}>
        {(d) => <input id="course-start" type="date" value={form.start_date} onInput={set('start_date')} {...d} />}
      </Field>
      <Field
        id="course-override"
        wide
        label={t('course.overrideLabel')}
        hint={t('course.overrideHint')}
        error={fieldError(refusal, 'screening_override_reason', 'screening')}
      >
        {(d) => (
          <textarea
            id="course-override"
            rows={2}
            value={form.screening_override_reason}
            onInput={set('screening_override_reason')}
            {...d}
          />
        )}
      </Field>
      <div class="form-actions">
        <button type="submit" class="button-primary" disabled={busy}>
          {t('course.startSubmit')}
        </button>
      </div>
    </form>
  );
}

export function ChartPage({ params }: { params: Params }): JSX.Element {
  const id = params.id ?? '';
  const { user } = useSession();
  const { data, error, reload } = useChart(id);
  const role = user?.role;
  const allowed = (permission: Permission): boolean => role !== undefined && may(role, permission);
  const title = data ? t('chart.title', { name: fullName(data.patient), mrn: data.patient.mrn }) : t('page.patient', { id });
  const clinical = data?.clinical ?? null;
  useEffect(() => (data ? markPaintedAfterNextFrame() : undefined), [data]);
  return (
    <Page
      title={title}
      actions={
        <>
          {allowed('screening.run') ? (
            <Link class="button-link" href={`/patients/${encodeURIComponent(id)}/intake`}>
              {t('chart.openIntake')}
            </Link>
          ) : null}
          <PrintButton label={t('chart.print')} />
        </>
      }
      printHeader={data ? <PrintHeader patient={data.patient} document={t('print.chartDocument')} /> : undefined}
    >
      <PatientSections id={id} />
      <LoadState error={error} loading={data === null} />
      {data ? (
        <div class="chart">
          <Section id="chart-summary" title={t('chart.summary')}>
            <Summary data={data} />
          </Section>
          {clinical ? (
            <>
              <Section id="chart-diagnoses" title={t('chart.diagnoses')}>
                <HistoryList entries={clinical.diagnoses} empty={t('chart.noDiagnoses')} />
              </Section>
              <Section id="chart-allergies" title={t('chart.allergies')}>
                <HistoryList entries={clinical.allergies} empty={t('chart.noAllergies')} />
              </Section>
              <Section id="chart-medications" title={t('chart.medications')}>
                <HistoryList entries={clinical.current_medications} empty={t('chart.noMedications')} />
              </Section>
              <Section id="chart-trials" title={t('chart.trials')}>
                <TrialTable trials={clinical.trials} />
              </Section>
              <Section id="chart-screening" title={t('chart.screening')}>
                {clinical.latest_screening ? (
                  <ScreeningView screening={clinical.latest_screening} />
                ) : (
                  <Empty text={t('chart.noScreening')} />
                )}
              </Section>
            </>
          ) : null}
          {data.courses ? (
            <Section id="chart-courses" title={t('chart.courses')}>
              <>
                {data.courses.length === 0 ? <Empty text={t('chart.noCourses')} /> : null}
                {data.courses.map((course) => (
                  <CourseView
                    key={course.id}
                    course={course}
                    patientId={data.patient.id}
                    mayOrder={allowed('dose_order.sign')}
                    mayOpenSession={allowed('session.read')}
                  />
                ))}
                {allowed('course.manage') ? <StartCourse patientId={data.patient.id} onStarted={reload} /> : null}
              </>
            </Section>
          ) : null}
          {clinical ? (
            <Section id="chart-outcomes" title={t('chart.outcomes')}>
              <OutcomeChart outcomes={clinical.outcomes} courses={clinical.courses} />
            </Section>
          ) : null}
          {clinical && allowed('assessment.read') ? (
            <Section id="chart-questionnaires" title={t('chart.questionnaires')}>
              <QuestionnaireAssignments patientId={data.patient.id} mayAssign={allowed('questionnaire.assign')} />
            </Section>
          ) : null}
          {clinical ? (
            <Section id="chart-adverse" title={t('chart.adverseEvents')}>
              {clinical.adverse_events.length === 0 ? (
                <Empty text={t('chart.noAdverseEvents')} />
              ) : (
                <ul class="plain-list">
                  {clinical.adverse_events.map((event) => (
                    <li key={event.id}>
                      {t('chart.adverseEvent', {
                        term: event.term,
                        grade: event.grade,
                        at: formatDateTime(event.onset_at),
                        outcome: event.outcome,
                      })}
                      {event.serious ? ` ${t('chart.serious')}` : ''}
                    </li>
                  ))}
                </ul>
              )}
            </Section>
          ) : null}
          {clinical ? (
            <Section id="chart-notes" title={t('chart.notes')}>
              {clinical.notes.length === 0 ? (
                <Empty text={t('chart.noNotes')} />
              ) : (
                <ul class="plain-list">
                  {clinical.notes.map((note) => (
                    <li key={note.id}>
                      {t('chart.note', {
                        kind: note.kind,
                        at: formatDateTime(note.created_at),
                        by: note.author,
                        state: note.signed ? t('chart.noteSigned') : t('chart.noteDraft'),
                      })}
                    </li>
                  ))}
                </ul>
              )}
            </Section>
          ) : null}
        </div>
      ) : null}
    </Page>
  );
}
