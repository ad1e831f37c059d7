// A patient picked with the quick patient search (GET /api/v1/patients?q=: name or MRN words, in any order), for
// the patient user a portal login belongs to and for the audit log's patient filter.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { formatDate } from '../../format';
import { t } from '../../i18n';
import { asApiError, Field, type Refusal } from '../patients/form';
import { searchPatients, type PatientMatch } from './admin-api';

interface PickerProps {
  readonly picked: PatientMatch | null;
  readonly onPick: (patient: PatientMatch | null) => void;
  readonly error: string | undefined;
}

export function PatientPicker({ picked, onPick, error }: PickerProps): JSX.Element {
  const [query, setQuery] = useState('');
  const [matches, setMatches] = useState<PatientMatch[] | null>(null);
  const [searchError, setSearchError] = useState<Refusal>(null);

  const find = async (): Promise<void> => {
    setSearchError(null);
    try {
      setMatches(await searchPatients(query.trim()));
    } catch (cause) {
      setMatches(null);
      setSearchError(asApiError(cause));
    }
  };

  return (
    <fieldset class="admin-picker">
      <legend>{t('admin.patientPicker.legend')}</legend>
      {picked ? (
        <p class="notice notice-info">
          {t('admin.patientPicker.picked', { name: picked.display_name, mrn: picked.mrn, id: picked.id })}
        </p>
      ) : null}
      {error ? (
        <p class="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <div class="inline-form">
        <Field
          id="patient-picker-q"
          label={t('admin.patientPicker.search')}
          hint={t('admin.patientPicker.hint')}
          error={searchError?.field === 'q' ? searchError.message : undefined}
        >
          {(described) => (
            <input
              id="patient-picker-q"
              type="search"
              autoComplete="off"
              value={query}
              onInput={(event) => setQuery(event.currentTarget.value)}
              onKeyDown={(event) => {
                // Enter searches here rather than sending the surrounding form.
                if (event.key === 'Enter') {
                  event.preventDefault();
                  void find();
                }
              }}
              {...described}
            />
          )}
        </Field>
        <button type="button" class="button-quiet" onClick={() => void find()}>
          {t('admin.patientPicker.find')}
        </button>
      </div>
      {searchError && searchError.field !== 'q' ? (
        <p class="notice notice-error" role="alert">
          {searchError.message}
        </p>
      ) : null}
      {matches !== null && matches.length === 0 ? <p role="status">{t('admin.patientPicker.none')}</p> : null}
      {matches !== null && matches.length > 0 ? (
        <ul class="admin-choices" aria-label={t('admin.patientPicker.results')}>
          {matches.map((match) => (
            <li key={match.id}>
              <label class="choice">
                <input
                  type="radio"
                  name="patient-picker"
                  checked={picked?.id === match.id}
                  onChange={() => onPick(match)}
                />
                {t('admin.patientPicker.match', {
                  name: match.display_name,
                  mrn: match.mrn,
                  born: formatDate(match.birth_date),
                })}
              </label>
            </li>
          ))}
        </ul>
      ) : null}
    </fieldset>
  );
}
