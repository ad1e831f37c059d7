// What the reader may do on the schedule, mirroring docs/security.md for the buttons only (the server decides every
// request): appointment.book (front desk, prescribers), appointment.check_in (nurses, prescribers),
// appointment.override (prescribers: past a soft booking rule, with a reason).
import type { Role } from '../../access';
import { ApiError } from '../../api';
import { t } from '../../i18n';

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
