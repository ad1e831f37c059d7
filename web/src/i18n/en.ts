// The English message catalogue: every word the web app shows a person comes from here (issue 12 §4: "All
// user-facing text goes through one message catalogue"), so a clinic can translate it by adding a sibling file.
// Placeholders are {name}; plural forms are keys ending in .one / .other, chosen with Intl.PluralRules (tn()).
// Keys are grouped by screen; the screen helpers add their own groups.
export const en = {
  // The BCP 47 tag Intl formats dates and numbers with, alongside these words.
  'meta.locale': 'en-US',
  'app.name': 'kclinic',
  'app.skipToContent': 'Skip to main content',
  'app.loading': 'Loading…',
  'app.progress': 'Working…',
  'app.testClock': 'TEST CLOCK: time is simulated',
  'app.testClockDetail': 'This server runs a test clock. It is not for patient care.',

  'nav.label': 'Main',
  'nav.board': 'Board',
  'nav.patients': 'Patients',
  'nav.schedule': 'Schedule',
  'nav.admin': 'Admin',
  'nav.portal': 'My care',
  'nav.notes': 'Notes',
  'nav.chart': 'Chart',
  'nav.signedInAs': 'Signed in as {email} ({role})',
  'nav.logout': 'Sign out',
  'nav.patientSections': 'Patient record',

  'role.admin': 'admin',
  'role.prescriber': 'prescriber',
  'role.nurse': 'nurse',
  'role.therapist': 'therapist',
  'role.front_desk': 'front desk',
  'role.patient': 'patient',

  'login.title': 'Sign in to kclinic',
  'login.email': 'Email',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.submitting': 'Signing in…',
  'login.emailRequired': 'Enter your email address.',
  'login.passwordRequired': 'Enter your password.',
  'login.retryAfter': 'Too many failed attempts: try again in {duration}.',
  'login.retryIn': 'You can try again in {duration}.',
  'login.lockedHint': 'If this keeps happening, ask your clinic administrator to unlock your account.',
  'login.expiredIdle':
    'You were signed out after {minutes} minutes without activity. Anything you had typed is kept: sign in to continue.',
  'login.expired': 'Your session has ended. Anything you had typed is kept: sign in to continue.',
  'login.loggedOut': 'You are signed out.',

  'idle.title': 'Still there?',
  'idle.warning': 'For privacy you will be signed out in {duration} without activity. Unsaved input is kept.',
  'idle.stay': 'Stay signed in',

  'live.connecting': 'Connecting to live updates…',
  'live.open': 'Live updates on',
  'live.reconnecting': 'Live connection lost, reconnecting…',
  'live.reconnectingIn': 'Live connection lost, reconnecting in {duration}…',

  'page.board': 'Clinic board',
  'page.patients': 'Patients',
  'page.patient': 'Patient #{id}',
  'page.notes': 'Notes of patient #{id}',
  'page.schedule': 'Schedule',
  'page.admin': 'Administration',
  'page.portal': 'My care',
  'page.placeholder': 'This screen is being built.',

  'notFound.title': 'Page not found',
  'notFound.body': 'There is no page at {path}.',
  'notFound.home': 'Go to your start page',
  'forbidden.title': 'Not permitted',
  'forbidden.body': 'Your role ({role}) may not open this page. Ask your clinic administrator if you need it.',

  'error.network': 'The server cannot be reached. Check the network connection, then try again.',
  'error.unexpected': 'Something went wrong ({status}). Try again; if it keeps happening, tell your IT contact.',
  'error.field': '{field}: {message}',

  'unit.kg': '{value} kg',
  'unit.mg': '{value} mg',
  'unit.mgPerKg': '{value} mg/kg',
  'unit.mmHg': '{value} mmHg',
  'unit.bpm': '{value} /min',
  'unit.breathsPerMin': '{value} breaths/min',
  'unit.percent': '{value} %',
  'unit.celsius': '{value} °C',
  'unit.mlPerHour': '{value} mL/h',
  'unit.mgPerHour': '{value} mg/h',
  'unit.minutes': '{value} min',

  'duration.seconds.one': '{count} second',
  'duration.seconds.other': '{count} seconds',
  'duration.minutes.one': '{count} minute',
  'duration.minutes.other': '{count} minutes',
  'duration.hoursMinutes': '{hours} h {minutes} min',
} as const;

export type MessageKey = keyof typeof en;
