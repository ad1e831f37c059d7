// What the reader may do on the schedule, and the schedule's words for what the API sends. What the reader may do
// mirrors docs/security.md, for the buttons only (the server decides every request): appointment.book (front desk, prescribers), appointment.check_in (nurses, prescribers),
// appointment.override (prescribers: past a soft booking rule, with a reason).
import type { Role } from '../../access';
import { ApiError } from '../../api';
import { t, type MessageKey } from '../../i18n';

export interface Abilities {
  readonly book: boolean;
  readonly checkIn: boolean;
  readonly override: boolean;
}

export function abilitiesOf(role: Role | undefined): Abilities {
  return {
    book: role === 'front_desk' || role === 'prescriber',
    checkIn: role === 'nurse' || role === 'prescriber',
    override: role === 'prescriber',
  };
}

// The server's words for a refusal (a booking refusal names every broken rule); a stale version says what to do.
export function apiMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 412) return t('schedule.stale');
    return error.message;
  }
  return t('error.unexpected', { status: 0 });
}

const TYPE_KEYS: Readonly<Record<string, MessageKey>> = {
  'iv-session': 'schedule.kind.iv-session',
  'esketamine-session': 'schedule.kind.esketamine-session',
  'im-session': 'schedule.kind.im-session',
  intake: 'schedule.kind.intake',
  'prescriber-review': 'schedule.kind.prescriber-review',
  'therapy-preparation': 'schedule.kind.therapy-preparation',
  'therapy-integration': 'schedule.kind.therapy-integration',
  'follow-up': 'schedule.kind.follow-up',
};

// An appointment type (docs/api.md "appointment-types") in words; a type this app does not know yet shows as sent.
export function typeLabel(type: string): string {
  const key = TYPE_KEYS[type];
  return key ? t(key) : type;
}
