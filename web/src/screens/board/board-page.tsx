// The clinic board for today (issue 12 §2): every treatment session of the clinic's day with its room or chair,
// patient, route, state, time since the first dose, the earliest discharge time, the latest vital signs and the
// open alerts. One request loads it (GET /api/v1/board, branch web-api); the live channel's "board" topic keeps it
// current in place: a vital sign replaces that sign's latest reading, an alert joins or leaves the open ones, a
// state change or an administration updates its row. Only an event for a session the board does not show yet (a
// patient checked in on another day's session) reads the board again.
// Above the sessions, the count discrepancies of the safe addressed to the user at the screen (issue 14 §2: the
// medical director's, or every prescriber's while none is designated): the board topic pushes a new one to them alone
// ("count_discrepancy") and the list is read again; it empties as the director signs them on the count screen.
import { Component, type JSX } from 'preact';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { may } from '../../access';
import { ApiError, get } from '../../api';
import { formatDate, formatDuration, formatTime, setClinicTimeZone } from '../../format';
import { t, tn } from '../../i18n';
import { useLiveTopic, type LiveEvent } from '../../live';
import { Page } from '../../page';
import { Link } from '../../router';
import { useSession } from '../../session';
import { listDiscrepancyAlerts, type Discrepancy } from '../safe/inventory-api';
import { severityText } from '../session/alerts';
import { refreshClinicClock, useClinicNow } from '../session/clock';
import {
  ESKETAMINE_MONITORING_MINUTES,
  FINISHED,
  LOINC,
  isEsketamine,
  routeKey,
  stateKeys,
  timerEnd,
  upsert,
  vitalText,
  type Administration,
  type Alert,
  type Session,
  type Vital,
} from '../session/model';
import './board.css';

export interface BoardEntry {
  readonly session: Session;
  readonly state: Session['state'];
  readonly route: string;
  readonly patient: { readonly id: number; readonly display_name: string; readonly mrn: string; readonly age?: number };
  readonly room: { readonly id: number; readonly name: string } | null;
  readonly appointment: { readonly start: string; readonly end: string } | null;
  readonly nurse: { readonly email: string; readonly display_name: string | null } | null;
  readonly first_dose_at: string | null;
  readonly earliest_discharge_at: string | null;
  readonly latest_vitals: Vital[];
  readonly open_alerts: Alert[];
}

interface Board {
  readonly date: string;
  readonly time_zone?: string;
  readonly sessions: BoardEntry[];
}

const SHOWN_VITALS = [LOINC.bloodPressure, LOINC.heartRate, LOINC.spo2, LOINC.respiratoryRate];

// Applies one live event to the board; null when the board must be read again (a session it does not show).
export function applyEvent(board: Board, event: LiveEvent): Board | null {
  const record = event.record;
  const bySession = (change: (entry: BoardEntry) => BoardEntry): Board | null => {
    if (event.session_id === undefined || event.session_id === null) return board;
    if (!board.sessions.some((e) => e.session.id === event.session_id)) return null;
    return { ...board, sessions: board.sessions.map((e) => (e.session.id === event.session_id ? change(e) : e)) };
  };
  switch (event.type) {
    case 'vital_sign': {
      const vital = record as unknown as Vital;
      return bySession((e) => ({
        ...e,
        latest_vitals: [...e.latest_vitals.filter((v) => v.loinc !== vital.loinc), vital].sort((a, b) =>
          a.loinc.localeCompare(b.loinc),
        ),
      }));
    }
    case 'alert': {
      // Open alerts are the patient's, whatever raised them (a PHQ-9 in the portal too).
      const alert = record as unknown as Alert;
      return {
        ...board,
        sessions: board.sessions.map((e) =>
          e.patient.id === event.patient_id ? { ...e, open_alerts: upsert(e.open_alerts, alert) } : e,
        ),
      };
    }
    case 'alert_acknowledged': {
      const alert = record as unknown as Alert;
      return {
        ...board,
        sessions: board.sessions.map((e) => ({ ...e, open_alerts: e.open_alerts.filter((a) => a.id !== alert.id) })),
      };
    }
    case 'session_state': {
      const session = record as unknown as Session;
      return bySession((e) => ({ ...e, session: { ...e.session, ...session }, state: session.state }));
    }
    case 'administration': {
      const a = record as unknown as Administration;
      return bySession((e) => {
        const first = e.first_dose_at && e.first_dose_at < a.started_at ? e.first_dose_at : a.started_at;
        let earliest = e.earliest_discharge_at;
        if (isEsketamine(e.route)) {
          earliest = new Date(Date.parse(first) + ESKETAMINE_MONITORING_MINUTES * 60_000).toISOString();
        } else if (a.stop) {
          earliest = a.stop.stopped_at;
        }
        return { ...e, first_dose_at: first, earliest_discharge_at: earliest };
      });
    }
    default:
      return board;
  }
}

function BoardRow({ entry, now }: { entry: BoardEntry; now: number }): JSX.Element {
  const vitals = SHOWN_VITALS.map((code) => entry.latest_vitals.find((v) => v.loinc === code || (code === LOINC.spo2 && v.loinc === LOINC.spo2Pulse)));
  const earliest = entry.earliest_discharge_at ? Date.parse(entry.earliest_discharge_at) : undefined;
  return (
    <tr data-session-id={entry.session.id} class={entry.open_alerts.length > 0 ? 'has-alerts' : undefined}>
      <th scope="row">{entry.room ? entry.room.name : t('board.noRoom')}</th>
      <td>
        <Link href={`/sessions/${entry.session.id}`}>{entry.patient.display_name}</Link>
        <div class="muted">
          {t('session.mrn', { mrn: entry.patient.mrn })}
          {entry.patient.age !== undefined ? ` · ${t('board.age', { age: entry.patient.age })}` : ''}
        </div>
        {entry.appointment ? (
          <div class="muted">
            {formatTime(entry.appointment.start)}–{formatTime(entry.appointment.end)}
          </div>
        ) : null}
      </td>
      <td>{t(routeKey(entry.route))}</td>
      <td>
        <span class={`state-chip state-${entry.state}`} data-state={entry.state}>
          {t(stateKeys[entry.state])}
        </span>
        {entry.nurse ? <div class="muted">{entry.nurse.display_name ?? entry.nurse.email}</div> : null}
      </td>
      <td class="num">
        {entry.first_dose_at ? (
          <>
            {formatDuration(timerEnd(entry.session, now) - Date.parse(entry.first_dose_at))}
            {FINISHED.has(entry.state) ? (
              <div class="muted">{t('session.timerEnded', { time: formatTime(entry.session.state_changed_at) })}</div>
            ) : null}
          </>
        ) : (
          '—'
        )}
      </td>
      <td class="num">
        {earliest !== undefined ? (
          <>
            {formatTime(earliest)}
            {earliest <= now ? <div class="muted">{t('session.reached')}</div> : null}
          </>
        ) : (
          '—'
        )}
      </td>
      <td class="board-vitals">
        {vitals.every((v) => v === undefined) ? (
          <span class="muted">{t('vitals.noneYet')}</span>
        ) : (
          <ul>
            {vitals.map((v, i) =>
              v ? (
                <li key={SHOWN_VITALS[i]} data-loinc={v.loinc}>
                  {vitalText(v)} <span class="muted">{formatTime(v.observed_at)}</span>
                </li>
              ) : null,
            )}
          </ul>
        )}
      </td>
      <td class="board-alerts">
        {entry.open_alerts.length === 0 ? (
          <span class="muted">{t('board.noAlerts')}</span>
        ) : (
          <ul>
            {entry.open_alerts.map((a) => (
              <li key={a.id} class={`alert-${a.severity}`}>
                <strong>{severityText(a.severity)}</strong> {a.message}
              </li>
            ))}
          </ul>
        )}
      </td>
    </tr>
  );
}

interface RowProps {
  readonly entry: BoardEntry;
  readonly now: number;
}

// A row renders again only when its entry or the clock changed: applyEvent replaces only the entry an event is about,
// so a vital sign renders one row of thirty, not the whole board (docs/benchmarks.md "The web front end").
class BoardRowOnChange extends Component<RowProps> {
  override shouldComponentUpdate(next: RowProps): boolean {
    return next.entry !== this.props.entry || next.now !== this.props.now;
  }

  override render(): JSX.Element {
    return <BoardRow entry={this.props.entry} now={this.props.now} />;
  }
}

function CountDiscrepancyAlerts({ alerts }: { alerts: Discrepancy[] }): JSX.Element | null {
  if (alerts.length === 0) return null;
  return (
    <div class="notice notice-warning" role="alert">
      <p>
        {tn('board.countDiscrepancies', alerts.length)} <Link href="/safe/count">{t('safe.openDiscrepanciesLink')}</Link>
      </p>
      <ul>
        {alerts.map((item) => (
          <li key={item.count.id}>
            {t('safe.discrepancy.what', { product: item.description, lot: item.lot_number, container: item.count.container_id })}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function BoardPage(): JSX.Element {
  const [board, setBoard] = useState<Board | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const now = useClinicNow(15_000);
  const { user } = useSession();
  const maySign = user ? may(user.role, 'inventory.sign_discrepancy') : false;
  const [countAlerts, setCountAlerts] = useState<Discrepancy[]>([]);

  // A failed read leaves the list as it was: the safe screen shows every open discrepancy as well.
  const loadCountAlerts = useCallback(async () => {
    if (!maySign) return;
    try {
      setCountAlerts(await listDiscrepancyAlerts());
    } catch {
      return;
    }
  }, [maySign]);

  // Live events that arrive while the board is read are replayed on what it reads (a read that started before
  // them must not take them away).
  const inFlight = useRef<LiveEvent[] | null>(null);

  const load = useCallback(async () => {
    const replay: LiveEvent[] = [];
    inFlight.current = replay;
    try {
      const [answer] = await Promise.all([get<Board>('/board'), refreshClinicClock()]);
      if (answer.time_zone) setClinicTimeZone(answer.time_zone);
      let fresh = answer;
      for (const event of replay) fresh = applyEvent(fresh, event) ?? fresh;
      setBoard(fresh);
      setFailure(null);
    } catch (error) {
      setFailure(error instanceof ApiError ? error.message : String(error));
    } finally {
      if (inFlight.current === replay) inFlight.current = null;
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    void loadCountAlerts();
  }, [loadCountAlerts]);

  const handlers = useMemo(
    () => ({
      onEvent: (event: LiveEvent) => {
        if (event.type === 'count_discrepancy') {
          void loadCountAlerts();
          return;
        }
        inFlight.current?.push(event);
        let stale = false;
        setBoard((current) => {
          if (!current) return current;
          const next = applyEvent(current, event);
          if (next === null) {
            stale = true;
            return current;
          }
          return next;
        });
        if (stale) void load();
      },
      onResync: () => {
        void load();
        void loadCountAlerts();
      },
    }),
    [load, loadCountAlerts],
  );
  useLiveTopic('board', handlers);

  const openAlerts = board ? board.sessions.reduce((n, e) => n + e.open_alerts.length, 0) : 0;
  return (
    <Page title={t('page.board')}>
      {board ? (
        <p class="board-summary">
          {t('board.summary', { date: formatDate(board.date), sessions: board.sessions.length, alerts: openAlerts })}
        </p>
      ) : null}
      <CountDiscrepancyAlerts alerts={countAlerts} />
      {failure ? (
        <p class="notice notice-error" role="alert">
          {failure} {t('board.retryHint')}
        </p>
      ) : null}
      {!board && !failure ? <p role="status">{t('app.loading')}</p> : null}
      {board && board.sessions.length === 0 ? <p class="muted">{t('board.empty')}</p> : null}
      {board && board.sessions.length > 0 ? (
        <div class="board-scroll">
          <table class="board-table">
            <caption class="visually-hidden">{t('board.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('board.col.room')}</th>
                <th scope="col">{t('board.col.patient')}</th>
                <th scope="col">{t('board.col.route')}</th>
                <th scope="col">{t('board.col.state')}</th>
                <th scope="col">{t('board.col.sinceFirstDose')}</th>
                <th scope="col">{t('board.col.earliestDischarge')}</th>
                <th scope="col">{t('board.col.vitals')}</th>
                <th scope="col">{t('board.col.alerts')}</th>
              </tr>
            </thead>
            <tbody>
              {board.sessions.map((entry) => (
                <BoardRowOnChange key={entry.session.id} entry={entry} now={now} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Page>
  );
}
