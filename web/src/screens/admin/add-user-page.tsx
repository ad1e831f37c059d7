// Adding a user (POST /api/v1/users): email, display name, role and a first password, which the server checks
// against the password policy (docs/security.md) and refuses in its own words at the field. A patient user is the
// portal login of one patient record, picked with the quick patient search. Nothing is kept as a draft: the form
// holds a password, which must never reach browser storage.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { ROLES, type Role } from '../../access';
import { t } from '../../i18n';
import { Page } from '../../page';
import { Link, navigate } from '../../router';
import { Field, fieldError, FormError, useSubmit } from '../patients/form';
import { addUser, type PatientMatch } from './admin-api';
import { PatientPicker } from './patient-picker';
import { AdminSections } from './sections';
import '../shared.css';
import './admin.css';

const FIELDS = ['email', 'display_name', 'role', 'password', 'patient_id'] as const;

export function AddUserPage(): JSX.Element {
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<Role | ''>('');
  const [password, setPassword] = useState('');
  const [patient, setPatient] = useState<PatientMatch | null>(null);
  const { refusal, busy, run } = useSubmit();

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    await run(async () => {
      const added = await addUser({
        email: email.trim(),
        role: role as Role,
        password,
        ...(displayName.trim() ? { display_name: displayName.trim() } : {}),
        ...(role === 'patient' && patient ? { patient_id: patient.id } : {}),
      });
      navigate(`/admin?added=${encodeURIComponent(added.email)}`);
    });
  };

  return (
    <Page title={t('admin.addUser.title')}>
      <AdminSections />
      <form class="form-stack form-narrow" onSubmit={(event) => void submit(event)} noValidate>
        <FormError refusal={refusal} shownFields={FIELDS} />
        <Field id="add-user-email" label={t('admin.users.email')} error={fieldError(refusal, 'email')}>
          {(described) => (
            <input
              id="add-user-email"
              type="email"
              autoComplete="off"
              value={email}
              onInput={(event) => setEmail(event.currentTarget.value)}
              {...described}
            />
          )}
        </Field>
        <Field
          id="add-user-name"
          label={t('admin.users.name')}
          hint={t('admin.addUser.nameHint')}
          error={fieldError(refusal, 'display_name')}
        >
          {(described) => (
            <input
              id="add-user-name"
              type="text"
              autoComplete="off"
              value={displayName}
              onInput={(event) => setDisplayName(event.currentTarget.value)}
              {...described}
            />
          )}
        </Field>
        <Field
          id="add-user-role"
          label={t('admin.users.role')}
          hint={t('admin.addUser.roleHint')}
          error={fieldError(refusal, 'role')}
        >
          {(described) => (
            <select
              id="add-user-role"
              value={role}
              onChange={(event) => setRole(event.currentTarget.value as Role | '')}
              {...described}
            >
              <option value="">{t('admin.addUser.chooseRole')}</option>
              {ROLES.map((name) => (
                <option key={name} value={name}>
                  {t(`role.${name}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {role === 'patient' ? (
          <PatientPicker picked={patient} onPick={setPatient} error={fieldError(refusal, 'patient_id')} />
        ) : null}
        <Field
          id="add-user-password"
          label={t('admin.addUser.password')}
          hint={t('admin.users.passwordHint')}
          error={fieldError(refusal, 'password')}
        >
          {(described) => (
            <input
              id="add-user-password"
              type="password"
              autoComplete="new-password"
              value={password}
              onInput={(event) => setPassword(event.currentTarget.value)}
              {...described}
            />
          )}
        </Field>
        <div class="form-actions">
          <button type="submit" class="button-primary" disabled={busy}>
            {busy ? t('admin.addUser.saving') : t('admin.addUser.submit')}
          </button>
          <Link href="/admin">{t('common.cancel')}</Link>
        </div>
      </form>
    </Page>
  );
}
