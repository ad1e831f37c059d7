// Calendar arithmetic for the schedule. A wall-clock time on a date in the clinic's zone, as the instant the API wants
// (RFC 3339 in UTC): the booking form asks "09:00 on 2026-12-07" as the clinic's people read the day plan (its
// local_start), whatever the browser's zone.

// The calendar date `days` after `date` (YYYY-MM-DD; negative goes back): dates name days, so no zone is involved.
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + days)).toISOString().slice(0, 10);
}

// The zone's offset from UTC at `instant`, in milliseconds, read through Intl (the browser's time-zone database).
function offsetAt(instant: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

// Two passes: the offset at the wall time read as UTC, then the offset at that first estimate, which is right for
// every time but the hour a daylight-saving change skips or repeats (it resolves to one of the candidate instants;
// the booking's answer and the day plan then show the local time taken). Undefined for malformed input.
export function zonedInstant(date: string, time: string, zone: string): string | undefined {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})$/.exec(time);
  if (!d || !t) return undefined;
  const wall = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(t[1]), Number(t[2]));
  const estimate = wall - offsetAt(wall, zone);
  return new Date(wall - offsetAt(estimate, zone)).toISOString();
}
