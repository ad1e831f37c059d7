// The witness's signature, in place (issue 14 §2): a second licensed person confirms a waste, a destruction or a
// count with their OWN email and password, typed at the same screen, sent with the one request they confirm. The
// drawer's session is never reused and the witness gets no session: the credentials live only in this dialog's
// state, are sent once, and are gone when it closes (never in browser storage, the address or a draft). The server
// refuses a witness who is the actor or not licensed to witness, in its own words, shown here.
import type { ComponentChildren, JSX } from 'preact';
import { useState } from 'preact/hooks';
import { t } from '../../i18n';
import { Modal } from '../admin/dialog';
import { Field, FormError, fieldError, useSubmit } from '../patients/form';
import type { WitnessCredentials } from './inventory-api';
import '../admin/admin.css';

interface WitnessDialogProps {
  readonly id: string;
  readonly title: string;
  // What the witness confirms, in words (the amount, the product and lot, who acts).
  readonly summary: ComponentChildren;
  readonly confirmLabel: string;
  // Sends the step with the witness's credentials; rejects with the API's refusal.
  readonly onConfirm: (witness: WitnessCredentials) => Promise<unknown>;
  readonly onDone: () => void;
  readonly onClose: () => void;
}

const WITNESS_FIELDS = ['witness', 'witness.email', 'witness.password'] as const;

export function WitnessDialog({
  id,
  title,
  summary,
  confirmLabel,
  onConfirm,
  onDone,
  onClose,
}: WitnessDialogProps): JSX.Element {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { refusal, busy, run } = useSubmit(onDone);
  const submit = (event: Event): void => {
    event.preventDefault();
    void run(() => onConfirm({ email: email.trim(), password })).then((accepted) => {
      // A refused password is typed again, never kept.
      if (!accepted) setPassword('');
    });
  };
  // Wrong credentials (401) are said once, at the password; a witness the server will not accept (the actor, a role
  // that may not witness: 403) at the email.
  const wrongCredentials = refusal?.status === 401;
  const credentialError = fieldError(refusal, 'witness.password') ?? (wrongCredentials ? refusal.message : undefined);
  const witnessError = wrongCredentials ? undefined : fieldError(refusal, 'witness', 'witness.email');
  return (
    <Modal id={id} title={title} onClose={onClose}>
      <div class="admin-dialog-body">
        <div class="witness-summary">{summary}</div>
        <p>{t('safe.witness.explain')}</p>
      </div>
      {/* The form's own submission would post the password nowhere: the dialog sends it with the step. */}
      <form class="witness-form" onSubmit={submit} autocomplete="off" noValidate>
        <Field id={`${id}-email`} label={t('safe.witness.email')} error={witnessError}>
          {(described) => (
            <input
              id={`${id}-email`}
              type="email"
              autocomplete="off"
              required
              value={email}
              onInput={(event) => setEmail(event.currentTarget.value)}
              {...described}
            />
          )}
        </Field>
        <Field id={`${id}-password`} label={t('safe.witness.password')} error={credentialError}>
          {(described) => (
            <input
              id={`${id}-password`}
              type="password"
              autocomplete="off"
              required
              value={password}
              onInput={(event) => setPassword(event.currentTarget.value)}
              {...described}
            />
          )}
        </Field>
        <FormError refusal={wrongCredentials ? null : refusal} shownFields={WITNESS_FIELDS} />
        <div class="form-actions">
          <button type="submit" class="button-primary" disabled={busy || email.trim() === '' || password === ''}>
            {confirmLabel}
          </button>
          <button type="button" class="button-quiet" onClick={onClose}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
