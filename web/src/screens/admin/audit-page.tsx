// The audit log (GET /api/v1/audit): filters by actor, patient, action and a time span, oldest first, paged with
// next_after. The filters live in the address (?actor=&patient_id=&action=&from=&to=), so back, reload and a bookmark
// keep them; from and to are typed as the clinic's wall-clock time and sent as RFC 3339 instants. A filter the API
// refuses (400 naming it) is shown at its field. Reading the log is itself audited.
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { clinicTimeZone, formatDateTimeSeconds } from '../../format';
import { t, tn } from '../../i18n';
import { Page } from '../../page';
import { navigate, useLocation } from '../../router';
import { zonedInstant } from '../schedule/zoned';
import { asApiError, Field, fieldError, FormError, LoadState, type Refusal } from '../patients/form';
import { listAudit, listUsers, type AuditEntry, type AuditFilter } from './admin-api';
import { PatientPicker } from './patient-picker';
import { AdminSections } from './sections';
import '../shared.css';
import './admin.css';

const FILTERS = ['actor', 'patient_id', 'action', 'from', 'to'] as const;
type FilterName = (typeof FILTERS)[number];
type FilterForm = Record<FilterName, string>;

function formOf(search: string): FilterForm {
  const query = new URLSearchParams(search);
  const form = {} as FilterForm;
  for (const name of FILTERS) form[name] = query.get(name) ?? '';
  return form;
}

// A datetime-local value ("2026-12-07T09:30") read in the clinic's zone, as the instant the API wants; the text as
// typed when it is not one, so the API names the field it cannot read.
function instantOf(local: string): string {
  const [date, time] = local.split('T');
  return (date && time ? zonedInstant(date, time.slice(0, 5), clinicTimeZone()) : undefined) ?? local;
}

function apiFilter(form: FilterForm): AuditFilter {
  const filter: Record<string, string> = {};
  if (form.actor) filter.actor = form.actor;
  if (form.patient_id) filter.patient_id = form.patient_id;
  if (form.action) filter.action = form.action;
  if (form.from) filter.from = instantOf(form.from);
  if (form.to) filter.to = instantOf(form.to);
  return filter;
}

export function AuditPage(): JSX.Element {
  const { search } = useLocation();
  const [form, setForm] = useState<FilterForm>(() => formOf(search));
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [more, setMore] = useState<number | undefined>(undefined);
  const [refusal, setRefusal] = useState<Refusal>(null);
  const [actors, setActors] = useState<string[]>([]);
  const [finding, setFinding] = useState(false);

  // The actors offered as suggestions: the users (a machine's or the system's name can still be typed).
  useEffect(() => {
    listUsers()
      .then((page) => setActors(page.items.map((user) => user.email)))
      .catch(() => setActors([]));
  }, []);

  useEffect(() => {
    const applied = formOf(search);
    setForm(applied);
    setEntries(null);
    setRefusal(null);
    const controller = new AbortController();
    listAudit(apiFilter(applied), undefined, controller.signal)
      .then((page) => {
        setEntries(page.items);
        setMore(page.next_after);
      })
      .catch((cause: unknown) => {
        if (!controller.signal.aborted) setRefusal(asApiError(cause));
      });
    return () => controller.abort();
  }, [search]);

  const apply = (event: Event): void => {
    event.preventDefault();
    const query = new URLSearchParams();
    for (const name of FILTERS) if (form[name].trim()) query.set(name, form[name].trim());
    const rendered = query.toString();
    navigate(rendered ? `/admin/audit?${rendered}` : '/admin/audit');
  };

  const showMore = async (): Promise<void> => {
    try {
      const page = await listAudit(apiFilter(formOf(search)), more);
      setEntries([...(entries ?? []), ...page.items]);
      setMore(page.next_after);
    } catch (cause) {
      setRefusal(asApiError(cause));
    }
  };

  const input = (name: FilterName, label: string, type: string, hint?: string, list?: string): JSX.Element => (
    <Field id={`audit-${name}`} label={label} hint={hint} error={fieldError(refusal, name)}>
      {(described) => (
        <input
          id={`audit-${name}`}
          type={type}
          autoComplete="off"
          list={list}
          value={form[name]}
          onInput={(event) => setForm({ ...form, [name]: event.currentTarget.value })}
          {...described}
        />
      )}
    </Field>
  );

  const refusedFilter = refusal?.field !== undefined && (FILTERS as readonly string[]).includes(refusal.field);
  return (
    <Page title={t('admin.audit.title')}>
      <AdminSections />
      <form class="inline-form admin-filters" role="search" aria-label={t('admin.audit.filters')} onSubmit={apply} noValidate>
        {input('actor', t('admin.audit.actor'), 'text', t('admin.audit.actorHint'), 'audit-actors')}
        <datalist id="audit-actors">
          {actors.map((actor) => (
            <option key={actor} value={actor} />
          ))}
        </datalist>
        {input('action', t('admin.audit.action'), 'text', t('admin.audit.actionHint'))}
        {input('patient_id', t('admin.audit.patient'), 'text', t('admin.audit.patientHint'))}
        {input('from', t('admin.audit.from'), 'datetime-local', t('admin.audit.zoneHint', { zone: clinicTimeZone() }))}
        {input('to', t('admin.audit.to'), 'datetime-local', t('admin.audit.toHint'))}
        <div class="form-actions">
          <button type="submit" class="button-primary">
            {t('admin.audit.apply')}
          </button>
          <button type="button" class="button-quiet" aria-expanded={finding} onClick={() => setFinding(!finding)}>
            {t('admin.audit.findPatient')}
          </button>
          <button type="button" class="button-quiet" onClick={() => navigate('/admin/audit')}>
            {t('admin.audit.clear')}
          </button>
        </div>
      </form>
      {finding ? (
        <PatientPicker
          picked={null}
          onPick={(patient) => {
            if (patient) setForm({ ...form, patient_id: String(patient.id) });
            setFinding(false);
          }}
          error={undefined}
        />
      ) : null}
      {refusedFilter ? null : <FormError refusal={refusal} shownFields={FILTERS} />}
      {refusedFilter ? null : <LoadState error={null} loading={entries === null && refusal === null} />}
      {entries !== null ? (
        <section aria-labelledby="audit-results">
          <h2 id="audit-results">{tn('admin.audit.results', entries.length)}</h2>
          {entries.length === 0 ? (
            <p role="status">{t('admin.audit.none')}</p>
          ) : (
            <table class="admin-table admin-audit">
              <thead>
                <tr>
                  <th scope="col">{t('admin.audit.at', { zone: clinicTimeZone() })}</th>
                  <th scope="col">{t('admin.audit.actor')}</th>
                  <th scope="col">{t('admin.audit.origin')}</th>
                  <th scope="col">{t('admin.audit.action')}</th>
                  <th scope="col">{t('admin.audit.record')}</th>
                  <th scope="col">{t('admin.audit.patient')}</th>
                  <th scope="col">{t('admin.audit.detail')}</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((entry) => (
                  <tr key={entry.id}>
                    <td class="num">{formatDateTimeSeconds(entry.at)}</td>
                    <td>{entry.actor}</td>
                    <td>{entry.origin}</td>
                    <td>
                      <code>{entry.action}</code>
                    </td>
                    <td>
                      {entry.record_id ? `${entry.record_type} #${entry.record_id}` : entry.record_type}
                    </td>
                    <td>{entry.patient_id ? `#${entry.patient_id}` : t('admin.audit.noPatient')}</td>
                    <td>{entry.detail ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {more !== undefined ? (
            <button type="button" class="button-quiet" onClick={() => void showMore()}>
              {t('admin.audit.more')}
            </button>
          ) : null}
        </section>
      ) : null}
    </Page>
  );
}
