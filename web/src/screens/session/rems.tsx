// The Spravato REMS Patient Monitoring Form of an esketamine session (docs/api.md "REMS Patient Monitoring Forms"):
// once the session has ended, a preview of the form as the server assembles it, its due date, the notes for the
// person submitting (a missing blood pressure, monitoring under two hours), and submission. The healthcare setting
// the form names is the clinic's setting rems.healthcare_setting, never typed here (the API refuses a caller's). The
// form is shown on request, so a session summary printed before it leaves it out. The form prints
// alone (its own button), or on a page of its own after the session summary.
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, post } from '../../api';
import { formatDate, formatDateTime } from '../../format';
import { t } from '../../i18n';
import { printOnly } from '../../print';

interface RemsForm {
  readonly status: string;
  readonly due_date: string;
  readonly treatment_date: string;
  readonly form: Record<string, unknown>;
  readonly notes: string[];
  readonly submission?: Record<string, unknown>;
}

function show(value: unknown): string {
  if (value === null || value === undefined) return t('rems.notRecorded');
  if (typeof value === 'boolean') return value ? t('rems.yes') : t('rems.no');
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) return formatDateTime(value);
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDate(value);
  if (Array.isArray(value)) return value.map(show).join(', ');
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if ('systolic' in record && 'diastolic' in record) return t('unit.mmHg', { value: `${String(record.systolic)}/${String(record.diastolic)}` });
    return Object.entries(record)
      .map(([k, v]) => `${k}: ${show(v)}`)
      .join('; ');
  }
  return String(value);
}

export function RemsPanel({ sessionId }: { sessionId: number }): JSX.Element {
  const [form, setForm] = useState<RemsForm | null>(null);
  const [minutes, setMinutes] = useState('');
  const [reference, setReference] = useState('');
  const [error, setError] = useState<string | null>(null);

  const load = async (): Promise<void> => {
    setError(null);
    try {
      setForm(await get<RemsForm>(`/sessions/${sessionId}/rems-form`));
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : String(caught));
    }
  };

  useEffect(() => {
    setForm(null);
  }, [sessionId]);

  const submit = async (): Promise<void> => {
    setError(null);
    try {
      setForm(
        await post<RemsForm>(`/sessions/${sessionId}/rems-form/submit`, {
          ready_to_leave_minutes: Number(minutes),
          ...(reference.trim() ? { confirmation_reference: reference } : {}),
        }),
      );
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : String(caught));
    }
  };

  // Until the form is shown, the panel has nothing to print.
  return (
    <section class={`rems-panel${form ? '' : ' no-print'}`} aria-labelledby="rems-title" data-print-part="rems">
      <h2 id="rems-title">{t('rems.title')}</h2>
      <button type="button" class="button-quiet no-print" onClick={() => void load()}>
        {t('rems.preview')}
      </button>
      {form ? (
        <div class="rems-form" data-rems-status={form.status}>
          <div class="rems-head">
            <p class="rems-status">
              <strong>{form.status === 'submitted' ? t('rems.submitted') : t('rems.due', { date: formatDate(form.due_date) })}</strong>
            </p>
            <button type="button" class="button-quiet" onClick={() => printOnly('rems')}>
              {t('rems.print')}
            </button>
          </div>
          <dl class="rems-fields">
            {Object.entries(form.form).map(([name, value]) => (
              <div key={name}>
                <dt>{name.replace(/_/g, ' ')}</dt>
                <dd>{show(value)}</dd>
              </div>
            ))}
          </dl>
          {form.notes.length > 0 ? (
            <ul class="notice notice-warning">
              {form.notes.map((note) => (
                <li key={note}>{note}</li>
              ))}
            </ul>
          ) : (
            <p class="rems-complete">{t('rems.complete')}</p>
          )}
          {form.status !== 'submitted' ? (
            <form
              class="inline-form"
              onSubmit={(e) => {
                e.preventDefault();
                void submit();
              }}
            >
              <div class="field">
                <label for="rems-minutes">{t('rems.readyToLeave')}</label>
                <input id="rems-minutes" inputMode="numeric" value={minutes} onInput={(e) => setMinutes((e.target as HTMLInputElement).value)} />
              </div>
              <div class="field">
                <label for="rems-reference">{t('rems.reference')}</label>
                <input id="rems-reference" value={reference} onInput={(e) => setReference((e.target as HTMLInputElement).value)} />
              </div>
              <button type="submit" class="button-primary">
                {t('rems.submit')}
              </button>
            </form>
          ) : null}
        </div>
      ) : null}
      {error ? (
        <p class="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
