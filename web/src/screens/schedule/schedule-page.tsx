// The schedule (issue 12 §2-3, issue 11): the clinic's day by room for a date, in one request (GET
// /api/v1/schedule/day), with each appointment's actions for the reader's role; and the booking panel: find the
// patient, find free slots for an appointment type, book one, or book at a chosen time. Every refusal shows the
// server's message, which names each broken booking rule and what collided (docs/api.md "Booking refusals"); a
// prescriber may book past a soft rule with a reason. Who may do what mirrors docs/security.md (appointment.book:
// front desk, prescribers; appointment.check_in: nurses, prescribers; appointment.override: prescribers; abilities.ts);
// the server decides every request.
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { clinicDate, clinicTimeZone, formatDate, formatTime } from '../../format';
import { t, type MessageKey } from '../../i18n';
import { Page } from '../../page';
import '../shared.css';
import './schedule.css';
import { navigate, queryParam, useLocation } from '../../router';
import { useSession } from '../../session';
import { abilitiesOf, apiMessage, typeLabel, type Abilities } from './abilities';
import { BookingPanel } from './booking-panel';
import { cancel, changeStatus, loadDay, type DayEntry, type DayPlan } from './schedule-api';
import { addDays } from './zoned';

const STATUS_KEYS: Readonly<Record<string, MessageKey>> = {
  booked: 'schedule.status.booked',
  checked_in: 'schedule.status.checked_in',
  completed: 'schedule.status.completed',
  cancelled: 'schedule.status.cancelled',
  no_show: 'schedule.status.no_show',
};

function AppointmentCard({ entry, abilities, onChanged, onReschedule }: {
  entry: DayEntry;
  abilities: Abilities;
  onChanged: (message: string) => void;
  onReschedule: (entry: DayEntry) => void;
}): JSX.Element {
  const [cancelling, setCancelling] = useState(false);
  const [reason, setReason] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const who = entry.patient_name;
  const run = async (action: () => Promise<unknown>, done: string): Promise<void> => {
    setBusy(true);
    setFailure(null);
    try {
      await action();
      onChanged(done);
    } catch (error) {
      setFailure(apiMessage(error));
      setBusy(false);
    }
  };
  const booked = entry.status === 'booked';
  const reasonId = `cancel-reason-${entry.id}`;
  return (
    <li class={`card appointment status-${entry.status}`} data-appointment={entry.id}>
      <p class="appointment-time">
        <strong>
          {entry.local_start}–{entry.local_end}
        </strong>{' '}
        <span class="badge">{t(STATUS_KEYS[entry.status] ?? 'schedule.status.booked')}</span>
      </p>
      <p>
        <strong>{who}</strong> · {typeLabel(entry.type)}
      </p>
      <p class="muted small">
        {entry.staff_name || entry.staff || t('schedule.noStaff')}
        {entry.session_state ? ` · ${t('schedule.sessionState', { state: entry.session_state })}` : ''}
        {entry.status_reason ? ` · ${t('schedule.reason', { reason: entry.status_reason })}` : ''}
        {entry.overridden.length > 0
          ? ` · ${t('schedule.overridden', { rules: entry.overridden.join(', '), reason: entry.override_reason ?? '' })}`
          : ''}
      </p>
      <div role="alert" class="form-error-slot">
        {failure ? <p class="notice notice-error">{failure}</p> : null}
      </div>
      <div class="row-actions">
        {booked && abilities.checkIn ? (
          <button type="button" disabled={busy} aria-label={t('schedule.checkInFor', { name: who })}
            onClick={() => void run(() => changeStatus(entry, 'check-in'), t('schedule.checkedIn', { name: who }))}>
            {t('schedule.checkIn')}
          </button>
        ) : null}
        {entry.status === 'checked_in' && abilities.checkIn ? (
          <button type="button" disabled={busy} aria-label={t('schedule.completeFor', { name: who })}
            onClick={() => void run(() => changeStatus(entry, 'complete'), t('schedule.completed', { name: who }))}>
            {t('schedule.complete')}
          </button>
        ) : null}
        {booked && abilities.book ? (
          <>
            <button type="button" disabled={busy} aria-label={t('schedule.rescheduleFor', { name: who })}
              onClick={() => onReschedule(entry)}>
              {t('schedule.reschedule')}
            </button>
            <button type="button" disabled={busy} aria-label={t('schedule.noShowFor', { name: who })}
              onClick={() => void run(() => changeStatus(entry, 'no-show'), t('schedule.markedNoShow', { name: who }))}>
              {t('schedule.noShow')}
            </button>
            <button type="button" disabled={busy} aria-expanded={cancelling}
              aria-label={t('schedule.cancelFor', { name: who })} onClick={() => setCancelling(!cancelling)}>
              {t('schedule.cancel')}
            </button>
          </>
        ) : null}
      </div>
      {cancelling ? (
        <form
          class="form-stack inline-form"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            if (reason.trim() === '') {
              setFailure(t('schedule.cancelReasonRequired'));
              return;
            }
            void run(() => cancel(entry, reason.trim()), t('schedule.cancelled', { name: who }));
          }}
        >
          <div class="field">
            <label for={reasonId}>{t('schedule.cancelReason')}</label>
            <input id={reasonId} maxLength={500} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
          </div>
          <button type="submit" class="button-primary" disabled={busy}>
            {t('schedule.confirmCancel')}
          </button>
        </form>
      ) : null}
    </li>
  );
}

export function SchedulePage(): JSX.Element {
  const { user } = useSession();
  const abilities = abilitiesOf(user?.role);
  const { search } = useLocation();
  const date = queryParam(search, 'date') ?? clinicDate();
  const [plan, setPlan] = useState<DayPlan | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const [announcement, setAnnouncement] = useState('');
  const [moving, setMoving] = useState<DayEntry | null>(null);

  useEffect(() => {
    const abort = new AbortController();
    loadDay(date, abort.signal)
      .then((next) => {
        setPlan(next);
        setError(null);
      })
      .catch((cause: unknown) => {
        if (!(cause instanceof DOMException)) setError(apiMessage(cause));
      });
    return () => abort.abort();
  }, [date, reload]);

  const goTo = (next: string): void => navigate(`/schedule?date=${next}`);
  const changed = (message: string): void => {
    setAnnouncement(message);
    setMoving(null);
    setReload((n) => n + 1);
  };

  return (
    <Page title={t('page.schedule')}>
      <div class="schedule-toolbar" role="group" aria-label={t('schedule.dateGroup')}>
        <button type="button" onClick={() => goTo(addDays(date, -1))}>
          {t('schedule.prevDay')}
        </button>
        <label for="schedule-date">{t('schedule.date')}</label>
        <input id="schedule-date" type="date" value={date}
          onChange={(e) => e.currentTarget.value && goTo(e.currentTarget.value)} />
        <button type="button" onClick={() => goTo(addDays(date, 1))}>
          {t('schedule.nextDay')}
        </button>
        <button type="button" onClick={() => goTo(clinicDate())}>
          {t('schedule.today')}
        </button>
      </div>
      <p class="visually-hidden" role="status">
        {announcement}
      </p>
      {announcement ? <p class="notice notice-info">{announcement}</p> : null}
      {error ? (
        <p class="notice notice-error" role="alert">
          {error}
        </p>
      ) : null}
      <div class="schedule-layout">
        <section aria-labelledby="day-title" class="day-plan">
          <h2 id="day-title">
            {t('schedule.dayTitle', { date: formatDate(date) })}
          </h2>
          {plan ? (
            <>
              <p class="muted">
                {plan.hours === 'closed'
                  ? t('schedule.hoursClosed')
                  : t('schedule.hours', { hours: plan.hours, zone: plan.time_zone })}
              </p>
              {plan.closed_day ? (
                <p class="notice notice-warning">{t('schedule.closedDay', { reason: plan.closed_day.reason })}</p>
              ) : null}
              <div class="rooms">
                {plan.rooms.map((column) => {
                  const name = column.room ? column.room.name : t('schedule.noRoom');
                  const headingId = `room-${column.room?.id ?? 'none'}`;
                  return (
                    <section key={headingId} class="room-column" aria-labelledby={headingId}>
                      <h3 id={headingId}>{name}</h3>
                      {column.appointments.length === 0 ? (
                        <p class="muted small">{t('schedule.roomFree')}</p>
                      ) : (
                        <ul class="card-list">
                          {column.appointments.map((entry) => (
                            <AppointmentCard key={`${entry.id}:${entry.version}`} entry={entry} abilities={abilities}
                              onChanged={changed} onReschedule={setMoving} />
                          ))}
                        </ul>
                      )}
                    </section>
                  );
                })}
              </div>
            </>
          ) : !error ? (
            <p class="muted">{t('app.loading')}</p>
          ) : null}
        </section>
        {abilities.book ? (
          <BookingPanel
            date={date}
            rooms={plan?.rooms.flatMap((c) => (c.room ? [c.room] : [])) ?? []}
            abilities={abilities}
            moving={moving}
            onCancelMove={() => setMoving(null)}
            onBooked={(start) =>
              changed(t('schedule.booked', { when: `${formatDate(clinicDate(start))} ${formatTime(start)}`, zone: clinicTimeZone() }))
            }
          />
        ) : null}
      </div>
    </Page>
  );
}
