// Printing (issue 12 §4: the REMS form, a session summary and an outcome chart print cleanly, since clinics still
// print and fax). A printed page leaves the clinic and loses its neighbours: each one says whose record it is
// (name, MRN, date of birth), where it came from, when and by whom it was printed, and the zone its times are in.
// The header is hidden on screen; Page repeats it at the top of every printed page (styles/print.css), and the
// print stylesheet leaves out the navigation, the live and status chrome, buttons and entry forms.
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { clinicZoneLabel, formatDate, formatDateTimeZoned } from './format';
import { t } from './i18n';
import { useSession } from './session';

export interface PrintedPatient {
  readonly given_name: string;
  readonly family_name: string;
  readonly mrn: string;
  readonly birth_date: string;
}

// The time the page is printed: set when the browser is about to print, so a page left open all day and printed at
// five says five.
function usePrintTime(): number {
  const [at, setAt] = useState(() => Date.now());
  useEffect(() => {
    const now = (): void => setAt(Date.now());
    window.addEventListener('beforeprint', now);
    return () => window.removeEventListener('beforeprint', now);
  }, []);
  return at;
}

// The header of every printed page of a patient's record: `document` names what the page is (a session summary,
// the chart). A clinic record that is no one patient's (the controlled-substance log's reports) leaves `patient`
// out and names itself in `document`.
export function PrintHeader({ patient, document }: { patient?: PrintedPatient; document: string }): JSX.Element {
  const { user } = useSession();
  const at = usePrintTime();
  return (
    <div class="print-header" data-testid="print-header">
      {patient ? (
        <p class="print-patient">
          <strong>{t('print.patient', { name: `${patient.family_name}, ${patient.given_name}` })}</strong>
          <span>{t('print.mrn', { mrn: patient.mrn })}</span>
          <span>{t('print.birthDate', { date: formatDate(patient.birth_date) })}</span>
        </p>
      ) : null}
      <p class="print-origin">
        <span>{t('print.document', { document, origin: window.location.host })}</span>
        <span>
          {t('print.printed', { time: formatDateTimeZoned(at), who: user?.email ?? '' })}
        </span>
        <span>{t('print.timesIn', { zone: clinicZoneLabel(at) })}</span>
      </p>
    </div>
  );
}

// Prints the page as it is (the browser's print dialog, with the print stylesheet).
export function PrintButton({ label }: { label: string }): JSX.Element {
  return (
    <button type="button" class="button-quiet" onClick={() => window.print()}>
      {label}
    </button>
  );
}

// Prints one part of the page alone (the REMS form out of the session screen): the root element carries
// data-print-only=<part> while the print dialog is open, and the print stylesheet then prints only the element
// marked data-print-part=<part> (and the header).
export function printOnly(part: string): void {
  const root = document.documentElement;
  root.dataset.printOnly = part;
  const clear = (): void => {
    delete root.dataset.printOnly;
    window.removeEventListener('afterprint', clear);
  };
  window.addEventListener('afterprint', clear);
  window.print();
}
