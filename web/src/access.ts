// Which areas a role may open, for navigation only: the server decides every request (docs/security.md, one
// Authorize over src/app/authorization.cpp). This mirrors the few permissions that choose what the navigation
// offers, copied from docs/security.md's role matrix; a screen the server refuses still shows the API's 403.
export type Role = 'admin' | 'prescriber' | 'nurse' | 'therapist' | 'front_desk' | 'patient';

export const ROLES: readonly Role[] = ['admin', 'prescriber', 'nurse', 'therapist', 'front_desk', 'patient'];

export type Permission =
  | 'session.read'
  | 'patient.list'
  | 'patient.read'
  | 'patient.register'
  | 'weight.record'
  | 'history.read'
  | 'history.record'
  | 'screening.read'
  | 'screening.run'
  | 'screening.sign'
  | 'schedule.read'
  | 'course.manage'
  | 'dose_order.sign'
  | 'standing_order.read'
  | 'standing_order.sign'
  | 'prn_dose.give'
  | 'assessment.read'
  | 'questionnaire.assign'
  | 'chart.read'
  | 'adverse_event.read'
  | 'appointment.read'
  | 'note.read'
  | 'settings.read'
  | 'settings.change'
  | 'audit.read'
  | 'user.manage'
  | 'portal.read'
  | 'inventory.read'
  | 'inventory.receive'
  | 'inventory.draw'
  | 'inventory.count'
  | 'inventory.destroy'
  | 'inventory.sign_discrepancy';

const STAFF_CLINICAL: readonly Role[] = ['prescriber', 'nurse', 'therapist'];

const matrix: Readonly<Record<Permission, readonly Role[]>> = {
  'session.read': STAFF_CLINICAL,
  // Admins hold `patient.list` on the server too, only to find the patient a portal login is for (the admin screens'
  // own patient search); the patient screens are not theirs, so the navigation does not offer them.
  'patient.list': [...STAFF_CLINICAL, 'front_desk'],
  // `patient.read` is also the patient's own; the staff screens under /patients are for staff.
  'patient.read': [...STAFF_CLINICAL, 'front_desk'],
  'appointment.read': [...STAFF_CLINICAL, 'front_desk'],
  'patient.register': ['prescriber', 'nurse', 'front_desk'],
  'weight.record': ['prescriber', 'nurse'],
  'history.read': STAFF_CLINICAL,
  'history.record': ['prescriber', 'nurse'],
  'screening.read': STAFF_CLINICAL,
  'screening.run': ['prescriber', 'nurse'],
  'screening.sign': ['prescriber'],
  'schedule.read': [...STAFF_CLINICAL, 'front_desk'],
  'course.manage': ['prescriber'],
  'dose_order.sign': ['prescriber'],
  'standing_order.read': ['prescriber', 'nurse'],
  'standing_order.sign': ['prescriber'],
  'prn_dose.give': ['prescriber', 'nurse'],
  'assessment.read': STAFF_CLINICAL,
  'questionnaire.assign': STAFF_CLINICAL,
  'chart.read': STAFF_CLINICAL,
  'adverse_event.read': STAFF_CLINICAL,
  'note.read': STAFF_CLINICAL,
  'settings.read': ['admin', ...STAFF_CLINICAL, 'front_desk'],
  'settings.change': ['admin'],
  'user.manage': ['admin'],
  'audit.read': ['admin'],
  'portal.read': ['patient'],
  // The controlled-substance log: licensed clinicians only (docs/security.md, 21 CFR 1301.76(a)); the medical
  // director (a prescriber) signs a count's discrepancy.
  'inventory.read': ['prescriber', 'nurse'],
  'inventory.receive': ['prescriber', 'nurse'],
  'inventory.draw': ['prescriber', 'nurse'],
  'inventory.count': ['prescriber', 'nurse'],
  'inventory.destroy': ['prescriber', 'nurse'],
  'inventory.sign_discrepancy': ['prescriber'],
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function may(role: Role, permission: Permission): boolean {
  return matrix[permission].includes(role);
}

// Where each role lands after signing in: its daily work.
export function homePath(role: Role): string {
  switch (role) {
    case 'admin':
      return '/admin';
    case 'front_desk':
      return '/schedule';
    case 'patient':
      return '/portal';
    default:
      return '/board';
  }
}
