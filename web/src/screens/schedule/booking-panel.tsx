// The booking panel beside the day plan: who (a patient search by name or MRN), what (the appointment type), then
// either a free slot from the server's search, which breaks no rule, or a time the user chooses, which the server
// checks against every booking rule and refuses with their messages. A prescriber sees a reason field when the
// refusal is a soft rule only (clinic_closed, outside_hours, session_spacing) and may book past it. Moving a booked
// appointment uses the same panel: its patient and type stay, its own time counts as free.
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../api';
import { clinicDate, clinicTimeZone, formatDate, formatTime } from '../../format';
import { t } from '../../i18n';
import { apiMessage, typeLabel, type Abilities } from './abilities';
import {
  book,
  findPatients,
  findSlots,
  loadTypes,
  reschedule,
  type AppointmentType,
  type Booking,
  type DayEntry,
  type PatientSummary,
  type Room,
  type Slot,
} from './schedule-api';
import { addDays, zonedInstant } from './zoned';

// docs/api.md "Booking refusals": the rules a prescriber may book past with a reason.
const SOFT_RULES = new Set(['clinic_closed', 'outside_hours', 'session_spacing']);

export function BookingPanel({ date, rooms, abilities, moving, onCancelMove, onBooked }: {
  date: string;
  rooms: readonly Room[];
  abilities: Abilities;
  moving: DayEntry | null;
  onCancelMove: () => void;
  onBooked: (start: string) => void;
}): JSX.Element {
  const [types, setTypes] = useState<AppointmentType[]>([]);
  const [query, setQuery] = useState('');
  const [patients, setPatients] = useState<PatientSummary[] | null>(null);
  const [patient, setPatient] = useState<PatientSummary | null>(null);
  const [type, setType] = useState('');
  const [from, setFrom] = useState(date);
  const [to, setTo] = useState(addDays(date, 7));
  const [roomId, setRoomId] = useState('');
  const [slots, setSlots] = useState<Slot[] | null>(null);
  const [manualDate, setManualDate] = useState(date);
  const [manualTime, setManualTime] = useState('');
  const [staff, setStaff] = useState('');
  const [overrideReason, setOverrideReason] = useState('');
  const [softRefusal, setSoftRefusal] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    loadTypes()
      .then((items) => {
        setTypes(items);
        setType((current) => current || (items[0]?.type ?? ''));
      })
      .catch((error: unknown) => setFailure(apiMessage(error)));
  }, []);
  useEffect(() => {
    setFrom(date);
    setTo(addDays(date, 7));
    setManualDate(date);
  }, [date]);
  useEffect(() => {
    setSlots(null);
    setFailure(null);
    setSoftRefusal(false);
    if (moving) setType(moving.type);
  }, [moving]);

  const patientId = moving ? moving.patient_id : patient?.id;
  const typeNow = moving ? moving.type : type;
  const roomName = (id: number | null): string => rooms.find((r) => r.id === id)?.name ?? t('schedule.noRoom');

  const guard = async (action: () => Promise<void>): Promise<void> => {
    setBusy(true);
    setFailure(null);
    try {
      await action();
    } catch (error) {
      setFailure(apiMessage(error));
      setSoftRefusal(
        error instanceof ApiError && error.code === 'failed_precondition' && SOFT_RULES.has(error.field ?? ''),
      );
    } finally {
      setBusy(false);
    }
  };

  const search = (event: Event): void => {
    event.preventDefault();
    if (query.trim() === '') return;
    void guard(async () => {
      setPatients(await findPatients(query));
    });
  };
  const searchSlots = (event: Event): void => {
    event.preventDefault();
    if (patientId === undefined) {
      setFailure(t('booking.choosePatient'));
      return;
    }
    void guard(async () => {
      setSlots(
        await findSlots({
          type: typeNow,
          patient_id: patientId,
          from,
          to,
          ...(roomId ? { room_id: Number(roomId) } : {}),
          ...(moving ? { appointment_id: moving.id } : {}),
        }),
      );
    });
  };
  const commit = (booking: Booking): Promise<void> =>
    guard(async () => {
      if (patientId === undefined) {
        setFailure(t('booking.choosePatient'));
        return;
      }
      const done = moving ? await reschedule(moving, booking) : await book(typeNow, patientId, booking);
      setSlots(null);
      setOverrideReason('');
      setSoftRefusal(false);
      onBooked(done.start);
    });
  const bookManual = (event: Event): void => {
    event.preventDefault();
    const start = zonedInstant(manualDate, manualTime, clinicTimeZone());
    if (!start) {
      setFailure(t('booking.timeRequired'));
      return;
    }
    void commit({
      start,
      ...(roomId ? { room_id: Number(roomId) } : {}),
      ...(staff.trim() ? { staff: staff.trim() } : {}),
      ...(softRefusal && overrideReason.trim() ? { override_reason: overrideReason.trim() } : {}),
    });
  };

  return (
    <section class="booking-panel card" aria-labelledby="booking-title">
      <h2 id="booking-title">
        {moving ? t('booking.moveTitle', { name: moving.patient_name }) : t('booking.title')}
      </h2>
      {moving ? (
        <p>
          {t('booking.moving', { type: typeLabel(moving.type), from: `${moving.local_start}–${moving.local_end}` })}{' '}
          <button type="button" class="button-quiet" onClick={onCancelMove}>
            {t('booking.stopMoving')}
          </button>
        </p>
      ) : (
        <>
          <form class="inline-form" onSubmit={search} role="search" aria-label={t('booking.findPatient')}>
            <div class="field">
              <label for="booking-patient">{t('booking.patientQuery')}</label>
              <input id="booking-patient" value={query} aria-describedby="booking-patient-hint"
                onInput={(e) => setQuery(e.currentTarget.value)} />
              <p id="booking-patient-hint" class="muted small">
                {t('booking.patientHint')}
              </p>
            </div>
            <button type="submit" disabled={busy}>
              {t('booking.find')}
            </button>
          </form>
          {patients !== null ? (
            patients.length === 0 ? (
              <p class="muted">{t('booking.noPatients')}</p>
            ) : (
              <fieldset>
                <legend>{t('booking.patient')}</legend>
                {patients.map((p) => (
                  <label key={p.id} class="choice">
                    <input type="radio" name="booking-patient-choice" checked={patient?.id === p.id}
                      onChange={() => setPatient(p)} />
                    <span>
                      {t('booking.patientLine', {
                        name: `${p.family_name}, ${p.given_name}`,
                        mrn: p.mrn,
                        born: formatDate(p.birth_date),
                      })}
                    </span>
                  </label>
                ))}
              </fieldset>
            )
          ) : null}
          <div class="field">
            <label for="booking-type">{t('booking.type')}</label>
            <select id="booking-type" value={type} onChange={(e) => setType(e.currentTarget.value)}>
              {types.map((item) => (
                <option key={item.type} value={item.type}>
                  {t('booking.typeLine', { type: typeLabel(item.type), minutes: item.minutes })}
                </option>
              ))}
            </select>
          </div>
        </>
      )}
      <div class="field">
        <label for="booking-room">{t('booking.room')}</label>
        <select id="booking-room" value={roomId} onChange={(e) => setRoomId(e.currentTarget.value)}>
          <option value="">{t('booking.anyRoom')}</option>
          {rooms.map((room) => (
            <option key={room.id} value={String(room.id)}>
              {room.name}
            </option>
          ))}
        </select>
      </div>

      <form class="form-stack" onSubmit={searchSlots} noValidate>
        <h3>{t('booking.slotsTitle')}</h3>
        <div class="field-row">
          <div class="field">
            <label for="booking-from">{t('booking.from')}</label>
            <input id="booking-from" type="date" value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="booking-to">{t('booking.to')}</label>
            <input id="booking-to" type="date" value={to} onChange={(e) => setTo(e.currentTarget.value)} />
          </div>
        </div>
        <button type="submit" disabled={busy}>
          {t('booking.findSlots')}
        </button>
      </form>
      {slots !== null ? (
        slots.length === 0 ? (
          <p class="muted">{t('booking.noSlots')}</p>
        ) : (
          <ul class="slot-list">
            {slots.map((slot) => {
              const label = t('booking.slotLine', {
                date: formatDate(clinicDate(slot.start)),
                start: formatTime(slot.start),
                end: formatTime(slot.end),
                room: roomName(slot.room_id),
                staff: slot.staff ?? t('schedule.noStaff'),
              });
              return (
                <li key={`${slot.start}:${slot.room_id ?? ''}:${slot.staff ?? ''}`}>
                  <span>{label}</span>{' '}
                  <button type="button" class="button-primary" disabled={busy}
                    aria-label={t('booking.bookSlot', { slot: label })}
                    onClick={() =>
                      void commit({
                        start: slot.start,
                        ...(slot.room_id !== null ? { room_id: slot.room_id } : {}),
                        ...(slot.staff ? { staff: slot.staff } : {}),
                      })
                    }>
                    {moving ? t('booking.moveHere') : t('booking.book')}
                  </button>
                </li>
              );
            })}
          </ul>
        )
      ) : null}

      <form class="form-stack" onSubmit={bookManual} noValidate>
        <h3>{t('booking.manualTitle')}</h3>
        <div class="field-row">
          <div class="field">
            <label for="booking-date">{t('booking.date')}</label>
            <input id="booking-date" type="date" value={manualDate} onChange={(e) => setManualDate(e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="booking-time">{t('booking.time', { zone: clinicTimeZone() })}</label>
            <input id="booking-time" type="time" value={manualTime} onChange={(e) => setManualTime(e.currentTarget.value)} />
          </div>
        </div>
        <div class="field">
          <label for="booking-staff">{t('booking.staff')}</label>
          <input id="booking-staff" type="email" value={staff} onInput={(e) => setStaff(e.currentTarget.value)} />
        </div>
        {softRefusal && abilities.override ? (
          <div class="field">
            <label for="booking-override">{t('booking.overrideReason')}</label>
            <input id="booking-override" value={overrideReason} maxLength={500}
              onInput={(e) => setOverrideReason(e.currentTarget.value)} />
          </div>
        ) : null}
        <button type="submit" class="button-primary" disabled={busy}>
          {softRefusal && abilities.override && overrideReason.trim()
            ? t('booking.bookOverride')
            : moving
              ? t('booking.moveHere')
              : t('booking.book')}
        </button>
      </form>
      <div role="alert" class="form-error-slot">
        {failure ? (
          <div class="notice notice-error">
            <p>{failure}</p>
            {softRefusal && !abilities.override ? <p>{t('booking.softHint')}</p> : null}
          </div>
        ) : null}
      </div>
    </section>
  );
}
