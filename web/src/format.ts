// Dates, times, durations and quantities for people: always through Intl, always in the clinic's time zone (the
// `clinic.time_zone` setting, docs/clinical-rules.md "Clinic time zone"), always with their unit (issue 12 §4).
// The zone is set once the session knows it (session.ts); until then, and for a user who may not read the clinic
// settings (a patient), the browser's own zone stands in.
import { locale, t, tn, type MessageKey } from './i18n';

let timeZone: string = Intl.DateTimeFormat().resolvedOptions().timeZone;
const cache = new Map<string, Intl.DateTimeFormat>();

// PRECONDITION: `zone` is an IANA zone name (the server validates the setting); an unknown one throws RangeError
// from Intl, which is caught here and leaves the zone unchanged.
export function setClinicTimeZone(zone: string): void {
  try {
    new Intl.DateTimeFormat(locale, { timeZone: zone });
  } catch {
    return;
  }
  timeZone = zone;
  cache.clear();
}

export function clinicTimeZone(): string {
  return timeZone;
}

function formatter(key: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  let format = cache.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    cache.set(key, format);
  }
  return format;
}

type Instant = string | Date | number;

function toDate(instant: Instant): Date {
  return instant instanceof Date ? instant : new Date(instant);
}

// "Dec 7, 2026, 09:30" in the clinic's zone.
export function formatDateTime(instant: Instant): string {
  return formatter('datetime', { dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23' }).format(toDate(instant));
}

// "Dec 7, 2026, 09:30:15" in the clinic's zone: when a record was written, to the second (the audit log).
export function formatDateTimeSeconds(instant: Instant): string {
  return formatter('datetime-s', { dateStyle: 'medium', timeStyle: 'medium', hourCycle: 'h23' }).format(
    toDate(instant),
  );
}

// "09:30" in the clinic's zone.
export function formatTime(instant: Instant): string {
  return formatter('time', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(toDate(instant));
}

// "09:30:15" in the clinic's zone, for vital signs and dosing times.
export function formatTimeSeconds(instant: Instant): string {
  return formatter('time-s', { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(
    toDate(instant),
  );
}

// "Dec 7, 2026, 09:30 GMT+1": an instant with its zone written out, for what leaves the screen (a printed page is
// read where the clinic's zone is not known).
export function formatDateTimeZoned(instant: Instant): string {
  return formatter('datetime-zone', {
    dateStyle: 'medium',
    timeStyle: 'long',
    hourCycle: 'h23',
  }).format(toDate(instant));
}

// "Europe/London (GMT+1)": the clinic's zone by name and, at `instant`, its offset, for a table's times.
export function clinicZoneLabel(instant: Instant = Date.now()): string {
  const parts = formatter('zone-name', { timeZoneName: 'short' }).formatToParts(toDate(instant));
  const short = parts.find((p) => p.type === 'timeZoneName')?.value ?? '';
  return short && short !== timeZone ? `${timeZone} (${short})` : timeZone;
}

// A calendar date the API sends as "YYYY-MM-DD" (a birth date, a planned session): it names a day, not an instant,
// so it is shown as written, never shifted by a zone.
// The formatter is made once: making an Intl.DateTimeFormat costs far more than formatting with one (a chart of 300
// sessions spent 80 ms making one per date: docs/benchmarks.md "The web front end").
let calendarDates: Intl.DateTimeFormat | undefined;
export function formatDate(date: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return date;
  const utc = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  calendarDates ??= new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  return calendarDates.format(utc);
}

// The clinic's calendar date of an instant, as the API writes dates ("YYYY-MM-DD"): "today" for ?date=.
export function clinicDate(instant: Instant = Date.now()): string {
  const parts = formatter('iso-date', { year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(
    toDate(instant),
  );
  const part = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

// "45 seconds", "12 minutes", "2 h 05 min": a span of time for people (a retry wait, time since the first dose).
export function formatDuration(milliseconds: number): string {
  const seconds = Math.max(0, Math.round(milliseconds / 1000));
  if (seconds < 60) return tn('duration.seconds', seconds);
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return tn('duration.minutes', minutes);
  return t('duration.hoursMinutes', {
    hours: String(Math.floor(minutes / 60)),
    minutes: String(minutes % 60).padStart(2, '0'),
  });
}

// The units the clinic record uses (UCUM in the API: kg, mg, mm[Hg], /min, %, Cel, mL/h, mg/h, min; mL and mg/mL in
// the controlled-substance log).
export type Unit =
  | 'kg'
  | 'mg'
  | 'mcg'
  | 'g'
  | 'mL'
  | 'units'
  | 'mg/kg'
  | 'mmHg'
  | 'bpm'
  | 'breaths/min'
  | '%'
  | 'Cel'
  | 'mL/h'
  | 'mg/h'
  | 'min'
  | 'mg/mL';

const unitKeys: Readonly<Record<Unit, MessageKey>> = {
  kg: 'unit.kg',
  mg: 'unit.mg',
  mcg: 'unit.mcg',
  g: 'unit.g',
  mL: 'unit.mL',
  units: 'unit.units',
  'mg/kg': 'unit.mgPerKg',
  mmHg: 'unit.mmHg',
  bpm: 'unit.bpm',
  'breaths/min': 'unit.breathsPerMin',
  '%': 'unit.percent',
  Cel: 'unit.celsius',
  'mL/h': 'unit.mlPerHour',
  'mg/h': 'unit.mgPerHour',
  min: 'unit.minutes',
  'mg/mL': 'unit.mgPerMl',
};

// "72.5 kg", "0.5 mg/kg", "120 mmHg": a number with its unit, never a bare number. `fractionDigits` fixes the
// decimals shown (a dose in mg/kg wants 2; a blood pressure 0); left out, up to 2 as needed.
// Each NumberFormat is made once per number of decimals, as formatDate's formatter: the board formats four readings
// in each of its rows at every vital sign that arrives.
const quantityFormats = new Map<number | undefined, Intl.NumberFormat>();
export function formatQuantity(value: number, unit: Unit, fractionDigits?: number): string {
  let format = quantityFormats.get(fractionDigits);
  if (!format) {
    const options: Intl.NumberFormatOptions =
      fractionDigits === undefined
        ? { maximumFractionDigits: 2 }
        : { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits };
    format = new Intl.NumberFormat(locale, options);
    quantityFormats.set(fractionDigits, format);
  }
  return t(unitKeys[unit], { value: format.format(value) });
}

// "120/80 mmHg".
export function formatBloodPressure(systolic: number, diastolic: number): string {
  return t('unit.mmHg', { value: `${systolic}/${diastolic}` });
}
