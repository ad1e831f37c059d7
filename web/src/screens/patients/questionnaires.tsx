// The chart's "Questionnaires" section (issue 12 §3, "what a clinician assigns"): the questionnaires assigned to the
// patient to answer in the portal, each with how often it comes, when it is next due, when it was last answered and
// whether it is due now, and, for the roles that may assign (questionnaire.assign: prescriber, nurse, therapist), a
// form to assign one and a button to end one. One request, GET /api/v1/patients/{id}/questionnaires (docs/api.md
// "Assigned questionnaires"); the server decides what is due and refuses what a patient may not answer (a
// clinician-rated scale, or the C-SSRS screener while the clinic keeps it clinician-only), shown at the field.
import type { JSX } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { del, get, post } from '../../api';
import { useDraft } from '../../draft';
import { formatDate, formatDateTime } from '../../format';
import { t, tn, type MessageKey } from '../../i18n';
import type { AssignedQuestionnaire as Assignment } from '../portal/portal-api';
import { asApiError, Field, fieldError, FormError, LoadState, useSubmit, type Refusal } from './form';

// The instruments a patient may answer themselves (clinical::PatientMayAnswer); the server has the last word.
const INSTRUMENTS: readonly { readonly value: string; readonly label: MessageKey }[] = [
  { value: 'phq9', label: 'questionnaires.instrument.phq9' },
  { value: 'gad7', label: 'questionnaires.instrument.gad7' },
  { value: 'qids-sr16', label: 'questionnaires.instrument.qids-sr16' },
  { value: 'pcl5', label: 'questionnaires.instrument.pcl5' },
  { value: 'cssrs-screen', label: 'questionnaires.instrument.cssrs-screen' },
];

function instrumentName(instrument: string): string {
  const known = INSTRUMENTS.find((i) => i.value === instrument);
  return known ? t(known.label) : instrument;
}

// Where an assignment stands, in words (never colour alone).
function statusOf(item: Assignment): string {
  if (item.ended_at) return t('questionnaires.status.ended', { when: formatDateTime(item.ended_at) });
  if (item.next_due === null) return t('questionnaires.status.done');
  return item.due
    ? t('questionnaires.status.due', { date: formatDate(item.next_due) })
    : t('questionnaires.status.upcoming', { date: formatDate(item.next_due) });
}

interface AssignForm {
  instrument: string;
  first_due: string;
  every_days: string;
}

const ASSIGN_FIELDS = ['instrument', 'first_due', 'every_days'];

function Assign({ patientId, onAssigned }: { patientId: number; onAssigned: () => void }): JSX.Element {
  const draft = useDraft<AssignForm>('questionnaire', { instrument: 'phq9', first_due: '', every_days: '' });
  const form = draft.value;
  const { refusal, busy, run } = useSubmit(onAssigned);
  const set = (name: keyof AssignForm) => (event: { currentTarget: { value: string } }) =>
    draft.set({ ...form, [name]: event.currentTarget.value });
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const body: Record<string, string | number> = { instrument: form.instrument };
    if (form.first_due) body.first_due = form.first_due;
    if (form.every_days) body.every_days = Number(form.every_days);
    if (await run(() => post(`/patients/${patientId}/questionnaires`, body))) draft.clear();
  };
  return (
    <form class="form-grid no-print" aria-labelledby="assign-questionnaire" onSubmit={(e) => void submit(e)} noValidate>
      <h3 id="assign-questionnaire">{t('questionnaires.assign')}</h3>
      <FormError refusal={refusal} shownFields={ASSIGN_FIELDS} />
      <Field id="questionnaire-instrument" label={t('questionnaires.instrument')} error={fieldError(refusal, 'instrument')}>
        {(d) => (
          <select id="questionnaire-instrument" value={form.instrument} onChange={set('instrument')} {...d}>
            {INSTRUMENTS.map((i) => (
              <option key={i.value} value={i.value}>
                {t(i.label)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        id="questionnaire-first-due"
        label={t('questionnaires.firstDue')}
        hint={t('questionnaires.firstDueHint')}
        error={fieldError(refusal, 'first_due')}
      >
        {(d) => (
          <input id="questionnaire-first-due" type="date" value={form.first_due} onInput={set('first_due')} {...d} />
        )}
      </Field>
      <Field id="questionnaire-repeat" label={t('questionnaires.repeat')} error={fieldError(refusal, 'every_days')}>
        {(d) => (
          <select id="questionnaire-repeat" value={form.every_days} onChange={set('every_days')} {...d}>
            <option value="">{t('questionnaires.repeat.once')}</option>
            <option value="7">{t('questionnaires.repeat.weekly')}</option>
            <option value="14">{t('questionnaires.repeat.twoWeeks')}</option>
            <option value="28">{t('questionnaires.repeat.fourWeeks')}</option>
          </select>
        )}
      </Field>
      <div class="form-actions">
        <button type="submit" class="button-primary" disabled={busy}>
          {t('questionnaires.assignSubmit')}
        </button>
      </div>
    </form>
  );
}

export function QuestionnaireAssignments({
  patientId,
  mayAssign,
}: {
  patientId: number;
  mayAssign: boolean;
}): JSX.Element {
  const [items, setItems] = useState<Assignment[] | null>(null);
  const [error, setError] = useState<Refusal>(null);
  const [generation, setGeneration] = useState(0);
  const [ending, setEnding] = useState<Refusal>(null);
  const reload = useCallback(() => setGeneration((n) => n + 1), []);

  useEffect(() => {
    const abort = new AbortController();
    get<{ questionnaires: Assignment[] }>(`/patients/${patientId}/questionnaires`, undefined, abort.signal)
      .then((answer) => {
        setItems(answer.questionnaires);
        setError(null);
      })
      .catch((cause: unknown) => {
        if (!(cause instanceof DOMException)) setError(asApiError(cause));
      });
    return () => abort.abort();
  }, [patientId, generation]);

  const end = async (item: Assignment): Promise<void> => {
    setEnding(null);
    try {
      await del(`/patients/${patientId}/questionnaires/${item.id}`);
      reload();
    } catch (cause) {
      setEnding(asApiError(cause));
    }
  };

  const inForce = items?.filter((item) => item.ended_at === null) ?? [];
  return (
    <>
      <LoadState error={error} loading={items === null && error === null} />
      <FormError refusal={ending} shownFields={[]} />
      {items !== null && inForce.length === 0 ? <p class="muted">{t('questionnaires.none')}</p> : null}
      {inForce.length > 0 ? (
        <table class="data-table" data-testid="questionnaire-assignments">
          <thead>
            <tr>
              <th scope="col">{t('questionnaires.instrument')}</th>
              <th scope="col">{t('questionnaires.repeat')}</th>
              <th scope="col">{t('questionnaires.status')}</th>
              <th scope="col">{t('questionnaires.lastAnswered')}</th>
              {mayAssign ? <th scope="col">{t('questionnaires.actions')}</th> : null}
            </tr>
          </thead>
          <tbody>
            {inForce.map((item) => (
              <tr key={item.id}>
                <td>{instrumentName(item.instrument)}</td>
                <td>{item.every_days ? tn('questionnaires.every', item.every_days) : t('questionnaires.repeat.once')}</td>
                <td>
                  {item.due ? <strong>{statusOf(item)}</strong> : statusOf(item)}
                </td>
                <td>{item.last_answered_at ? formatDateTime(item.last_answered_at) : t('questionnaires.never')}</td>
                {mayAssign ? (
                  <td>
                    <button
                      type="button"
                      class="button-quiet"
                      onClick={() => void end(item)}
                      aria-label={t('questionnaires.endItem', { name: instrumentName(item.instrument) })}
                    >
                      {t('questionnaires.end')}
                    </button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {mayAssign ? <Assign patientId={patientId} onAssigned={reload} /> : null}
    </>
  );
}
