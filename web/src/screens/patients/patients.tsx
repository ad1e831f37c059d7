// The patient list: find a patient by name or MRN (GET /api/v1/patients?name= / ?mrn=, docs/api.md "Patients"), open
// their chart, and register a new one (POST /api/v1/patients: front desk, nurse, prescriber). The search lives in
// the address (?by=name&q=...) so back, reload and a bookmark keep it.
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { may } from '../../access';
import { get, post, type Page as ApiPage } from '../../api';
import { formatDate } from '../../format';
import { t } from '../../i18n';
import { Page } from '../../page';
import { Link, navigate, queryParam, useLocation } from '../../router';
import { useSession } from '../../session';
import { useDraft } from '../../draft';
import { asApiError, Field, fieldError, FormError, LoadState, useSubmit, type Refusal } from './form';
import { fullName, type Patient } from './types';

type SearchBy = 'name' | 'mrn';

function searchAddress(by: SearchBy, text: string): string {
  const query = new URLSearchParams();
  if (text.trim()) {
    query.set('by', by);
    query.set('q', text.trim());
  }
  const rendered = query.toString();
  return rendered ? `/patients?${rendered}` : '/patients';
}

export function PatientsPage(): JSX.Element {
  const { user } = useSession();
  const { search } = useLocation();
  const by: SearchBy = queryParam(search, 'by') === 'mrn' ? 'mrn' : 'name';
  const q = queryParam(search, 'q') ?? '';
  const [byInput, setByInput] = useState<SearchBy>(by);
  const [text, setText] = useState(q);
  const [patients, setPatients] = useState<Patient[] | null>(null);
  const [more, setMore] = useState<number | undefined>(undefined);
  const [error, setError] = useState<Refusal>(null);

  useEffect(() => {
    setByInput(by);
    setText(q);
    const controller = new AbortController();
    setPatients(null);
    setError(null);
    const query = q ? { [by]: q, limit: 100 } : { limit: 100 };
    get<ApiPage<Patient>>('/patients', query, controller.signal)
      .then((page) => {
        setPatients(page.items);
        setMore(page.next_after);
      })
      .catch((cause: unknown) => {
        if (!controller.signal.aborted) setError(asApiError(cause));
      });
    return () => controller.abort();
  }, [by, q]);

  const submit = (event: Event): void => {
    event.preventDefault();
    navigate(searchAddress(byInput, text));
  };

  // The next page of the same list or search (docs/api.md "Lists": ?after=).
  const showMore = async (): Promise<void> => {
    try {
      const page = await get<ApiPage<Patient>>('/patients', { ...(q ? { [by]: q } : {}), limit: 100, after: more });
      setPatients([...(patients ?? []), ...page.items]);
      setMore(page.next_after);
    } catch (cause) {
      setError(asApiError(cause));
    }
  };

  const searchError = error?.field === 'name' || error?.field === 'mrn' ? error.message : undefined;
  return (
    <Page
      title={t('page.patients')}
      actions={
        user && may(user.role, 'patient.register') ? (
          <Link class="button-link" href="/patients/new">
            {t('patients.register')}
          </Link>
        ) : null
      }
    >
      <form class="search-form" role="search" aria-label={t('patients.searchLabel')} onSubmit={submit}>
        <div class="field">
          <label for="patient-search-by">{t('patients.searchBy')}</label>
          <select
            id="patient-search-by"
            value={byInput}
            onChange={(event) => setByInput(event.currentTarget.value === 'mrn' ? 'mrn' : 'name')}
          >
            <option value="name">{t('patients.byName')}</option>
            <option value="mrn">{t('patients.byMrn')}</option>
          </select>
        </div>
        <Field
          id="patient-search"
          label={t('patients.search')}
          hint={byInput === 'name' ? t('patients.searchNameHint') : t('patients.searchMrnHint')}
          error={searchError}
        >
          {(described) => (
            <input
              id="patient-search"
              type="search"
              autoComplete="off"
              value={text}
              onInput={(event) => setText(event.currentTarget.value)}
              {...described}
            />
          )}
        </Field>
        <button type="submit" class="button-primary">
          {t('patients.find')}
        </button>
      </form>
      {searchError ? null : <LoadState error={error} loading={patients === null} />}
      {patients !== null ? (
        <section aria-labelledby="patient-results">
          <h2 id="patient-results">
            {q ? t('patients.resultsFor', { query: q, count: patients.length }) : t('patients.all')}
          </h2>
          {patients.length === 0 ? (
            <p role="status">{q ? t('patients.noMatch') : t('patients.none')}</p>
          ) : (
            <table class="data-table">
              <thead>
                <tr>
                  <th scope="col">{t('patients.name')}</th>
                  <th scope="col">{t('patients.mrn')}</th>
                  <th scope="col">{t('patients.birthDate')}</th>
                  <th scope="col">{t('patients.sex')}</th>
                </tr>
              </thead>
              <tbody>
                {patients.map((patient) => (
                  <tr key={patient.id}>
                    <td>
                      <Link href={`/patients/${patient.id}`}>{fullName(patient)}</Link>
                    </td>
                    <td>{patient.mrn}</td>
                    <td>{formatDate(patient.birth_date)}</td>
                    <td>{t(`sex.${patient.sex}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {more !== undefined ? (
            <button type="button" class="button-quiet" onClick={() => void showMore()}>
              {t('patients.more')}
            </button>
          ) : null}
        </section>
      ) : null}
    </Page>
  );
}

interface RegisterForm {
  mrn: string;
  given_name: string;
  family_name: string;
  birth_date: string;
  sex: string;
  clinician: string;
  address: string;
}

const REGISTER_FIELDS = ['mrn', 'given_name', 'family_name', 'birth_date', 'sex', 'clinician', 'address'] as const;

export function RegisterPatientPage(): JSX.Element {
  // Kept as a draft: a session that expires mid-registration loses nothing (draft.ts).
  const draft = useDraft<RegisterForm>('register', {
    mrn: '',
    given_name: '',
    family_name: '',
    birth_date: '',
    sex: '',
    clinician: '',
    address: '',
  });
  const form = draft.value;
  const setForm = draft.set;
  const { refusal, busy, run } = useSubmit();

  const set = (name: keyof RegisterForm) => (event: { currentTarget: { value: string } }) =>
    setForm({ ...form, [name]: event.currentTarget.value });

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const body: Record<string, string> = {
      mrn: form.mrn.trim(),
      given_name: form.given_name.trim(),
      family_name: form.family_name.trim(),
      birth_date: form.birth_date,
      sex: form.sex,
    };
    if (form.clinician.trim()) body.clinician = form.clinician.trim();
    if (form.address.trim()) body.address = form.address.trim();
    await run(async () => {
      const patient = await post<Patient>('/patients', body);
      draft.clear();
      navigate(`/patients/${patient.id}`);
    });
  };

  const text = (name: keyof RegisterForm, label: string, type = 'text', hint?: string): JSX.Element => (
    <Field id={`register-${name}`} label={label} hint={hint} error={fieldError(refusal, name)}>
      {(described) => (
        <input
          id={`register-${name}`}
          name={name}
          type={type}
          autoComplete="off"
          value={form[name]}
          onInput={set(name)}
          {...described}
        />
      )}
    </Field>
  );

  return (
    <Page title={t('register.title')}>
      <form class="form-stack form-narrow" onSubmit={(event) => void submit(event)} noValidate>
        <FormError refusal={refusal} shownFields={REGISTER_FIELDS} />
        {text('mrn', t('patients.mrn'))}
        {text('given_name', t('register.givenName'))}
        {text('family_name', t('register.familyName'))}
        {text('birth_date', t('patients.birthDate'), 'date')}
        <Field id="register-sex" label={t('patients.sex')} error={fieldError(refusal, 'sex')}>
          {(described) => (
            <select id="register-sex" name="sex" value={form.sex} onChange={set('sex')} {...described}>
              <option value="">{t('register.choose')}</option>
              <option value="female">{t('sex.female')}</option>
              <option value="male">{t('sex.male')}</option>
              <option value="unknown">{t('sex.unknown')}</option>
            </select>
          )}
        </Field>
        {text('clinician', t('register.clinician'), 'email', t('register.clinicianHint'))}
        <Field
          id="register-address"
          label={t('register.address')}
          hint={t('register.addressHint')}
          error={fieldError(refusal, 'address')}
        >
          {(described) => (
            <textarea
              id="register-address"
              name="address"
              rows={3}
              autoComplete="off"
              value={form.address}
              onInput={set('address')}
              {...described}
            />
          )}
        </Field>
        <div class="form-actions">
          <button type="submit" class="button-primary" disabled={busy}>
            {busy ? t('register.saving') : t('register.submit')}
          </button>
          <Link href="/patients">{t('common.cancel')}</Link>
        </div>
      </form>
    </Page>
  );
}
