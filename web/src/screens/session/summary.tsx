// The session summary (issue 12 §4): once a session has ended, its record in tables that read the same on screen,
// on paper and through a fax that loses colour: the state history (each step, when, by whom, with its reason), the
// drug given (dose, devices or rate, lot, start and stop), and every vital sign reading by time with its unit, the
// alerts it raised marked in words beside it and whether and by whom they were acknowledged. Times are in the
// clinic's zone, named in each table's time column.
import type { JSX } from 'preact';
import { clinicZoneLabel, formatDate, formatDateTime, formatQuantity, formatTimeSeconds } from '../../format';
import { t } from '../../i18n';
import { severityText } from './alerts';
import { LOINC, stateKeys, vitalText, type Administration, type Alert, type SessionDetail, type Vital } from './model';

// The columns of the readings table, by the LOINC codes that fill them.
const COLUMNS: readonly { readonly codes: readonly string[]; readonly key: 'bp' | 'hr' | 'spo2' | 'rr' }[] = [
  { codes: [LOINC.bloodPressure], key: 'bp' },
  { codes: [LOINC.heartRate], key: 'hr' },
  { codes: [LOINC.spo2, LOINC.spo2Pulse], key: 'spo2' },
  { codes: [LOINC.respiratoryRate], key: 'rr' },
];

interface ReadingRow {
  readonly at: string;
  readonly vitals: Vital[];
}

// The readings taken at one instant (a bedside monitor's set, a nurse's entry) form one row, oldest first.
function rowsOf(vitals: readonly Vital[]): ReadingRow[] {
  const rows = new Map<number, ReadingRow>();
  for (const vital of vitals) {
    const second = Math.floor(Date.parse(vital.observed_at) / 1000);
    const row = rows.get(second) ?? { at: vital.observed_at, vitals: [] };
    row.vitals.push(vital);
    rows.set(second, row);
  }
  return [...rows.entries()].sort(([a], [b]) => a - b).map(([, row]) => row);
}

function readingText(vital: Vital): string {
  const text = vitalText(vital);
  return vital.status === 'entered-in-error' ? t('summary.enteredInError', { value: text }) : text;
}

function alertText(alert: Alert): string {
  const state = alert.acknowledged_at
    ? t('summary.alertAcknowledged', {
        who: alert.acknowledged_by ?? '',
        time: formatTimeSeconds(alert.acknowledged_at),
      })
    : t('summary.alertOpen');
  return t('summary.alert', { severity: severityText(alert.severity), message: alert.message, state });
}

function StateHistory({ session, zone }: { session: SessionDetail; zone: string }): JSX.Element {
  const transitions = session.transitions ?? [];
  return (
    <table class="data-table summary-table print-keep" data-testid="summary-states">
      <caption>{t('summary.states')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('summary.time', { zone })}</th>
          <th scope="col">{t('summary.state')}</th>
          <th scope="col">{t('summary.by')}</th>
          <th scope="col">{t('summary.reason')}</th>
        </tr>
      </thead>
      <tbody>
        {transitions.map((transition) => (
          <tr key={`${transition.at}-${transition.to_state}`}>
            <td class="num">{formatTimeSeconds(transition.at)}</td>
            <td>{t(stateKeys[transition.to_state])}</td>
            <td>{transition.by}</td>
            <td>{transition.reason ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function doseText(a: Administration): string {
  const parts = [formatQuantity(a.dose_mg, 'mg')];
  if (a.device_count !== undefined) parts.push(t('order.devicesValue', { count: a.device_count }));
  if (a.rate_mg_per_h !== undefined) parts.push(formatQuantity(a.rate_mg_per_h, 'mg/h'));
  return parts.join(', ');
}

function Doses({ administrations, zone }: { administrations: readonly Administration[]; zone: string }): JSX.Element {
  if (administrations.length === 0) return <p>{t('summary.noDoses')}</p>;
  return (
    <table class="data-table summary-table print-keep" data-testid="summary-doses">
      <caption>{t('summary.doses')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('summary.started', { zone })}</th>
          <th scope="col">{t('summary.drug')}</th>
          <th scope="col">{t('summary.dose')}</th>
          <th scope="col">{t('summary.lot')}</th>
          <th scope="col">{t('summary.stopped')}</th>
        </tr>
      </thead>
      <tbody>
        {administrations.map((a) => {
          const stopped = a.stop?.stopped_at ?? a.stopped_at;
          return (
            <tr key={a.id}>
              <td class="num">{formatTimeSeconds(a.started_at)}</td>
              <td>
                {t('summary.drugRoute', { drug: a.drug, route: a.route })}
                {a.entered_in_error ? ` ${t('summary.doseInError')}` : ''}
              </td>
              <td class="num">{doseText(a)}</td>
              <td>{a.lot_number}</td>
              <td class="num">
                {stopped ? formatTimeSeconds(stopped) : ''}
                {a.stop ? ` ${t('summary.given', { dose: formatQuantity(a.stop.given_mg, 'mg') })}` : ''}
                {a.stop?.early_stop_reason ? ` ${t('summary.stoppedEarly', { reason: t(`drug.earlyStop.${a.stop.early_stop_reason}`) })}` : ''}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function Readings({ vitals, alerts, zone }: { vitals: readonly Vital[]; alerts: readonly Alert[]; zone: string }): JSX.Element {
  if (vitals.length === 0) return <p>{t('vitals.noneYet')}</p>;
  const alertsOf = (row: ReadingRow): Alert[] =>
    alerts.filter((alert) => alert.record_type === 'vital_sign' && row.vitals.some((v) => v.id === alert.record_id));
  return (
    <table class="data-table summary-table" data-testid="summary-readings">
      <caption>{t('summary.readings')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('summary.time', { zone })}</th>
          <th scope="col">{t('summary.column.bp')}</th>
          <th scope="col">{t('summary.column.hr')}</th>
          <th scope="col">{t('summary.column.spo2')}</th>
          <th scope="col">{t('summary.column.rr')}</th>
          <th scope="col">{t('summary.column.alerts')}</th>
        </tr>
      </thead>
      <tbody>
        {rowsOf(vitals).map((row) => {
          const raised = alertsOf(row);
          return (
            <tr key={row.at} class={raised.length > 0 ? 'reading-alert' : undefined}>
              <th scope="row" class="num">
                {formatTimeSeconds(row.at)}
              </th>
              {COLUMNS.map((column) => (
                <td key={column.key} class="num">
                  {row.vitals
                    .filter((v) => column.codes.includes(v.loinc))
                    .map(readingText)
                    .join('; ')}
                </td>
              ))}
              <td>
                {raised.map((alert) => (
                  <p key={alert.id} class="reading-alert-text">
                    {alertText(alert)}
                  </p>
                ))}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export interface SessionSummaryProps {
  readonly session: SessionDetail;
  readonly vitals: readonly Vital[];
  readonly alerts: readonly Alert[];
}

export function SessionSummary({ session, vitals, alerts }: SessionSummaryProps): JSX.Element {
  const zone = clinicZoneLabel(session.state_changed_at);
  // The session's alerts over what is not a reading (a CADSS score); the screen also holds the patient's other open
  // alerts, which are not this session's record.
  const other = alerts.filter((alert) => alert.session_id === session.id && alert.record_type !== 'vital_sign');
  return (
    <section class="session-summary" aria-labelledby="summary-title" data-testid="session-summary">
      <h2 id="summary-title">{t('summary.title')}</h2>
      <p>
        {t('summary.dates', {
          planned: formatDate(session.planned_date),
          ended: formatDateTime(session.state_changed_at),
          zone,
        })}
      </p>
      <StateHistory session={session} zone={zone} />
      <Doses administrations={session.administrations ?? []} zone={zone} />
      <Readings vitals={vitals} alerts={alerts} zone={zone} />
      {other.length > 0 ? (
        <ul class="summary-other-alerts">
          {other.map((alert) => (
            <li key={alert.id}>
              {formatTimeSeconds(alert.raised_at)} {alertText(alert)}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
