// One user's API tokens (docs/api.md "Users and API tokens"): the list, a new token shown once, and revoking one.
// The token itself lives only in this component's state while its dialog is open: never in browser storage, never
// in the address, gone when the dialog closes (the server keeps only its digest, so nobody can show it again).
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { formatDateTime } from '../../format';
import { t } from '../../i18n';
import { asApiError, useSubmit, type Refusal } from '../patients/form';
import { createToken, listTokens, revokeToken, type AdminUser, type ApiToken, type NewApiToken } from './admin-api';
import { Confirm, Modal } from './dialog';
import { OneFieldForm } from './one-field-form';

export function TokensSection({ user }: { user: AdminUser }): JSX.Element {
  const [tokens, setTokens] = useState<ApiToken[] | null>(null);
  const [error, setError] = useState<Refusal>(null);
  const [name, setName] = useState('');
  const [shown, setShown] = useState<NewApiToken | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const create = useSubmit();
  const revoke = useSubmit();

  useEffect(() => {
    const controller = new AbortController();
    listTokens(user.email, controller.signal)
      .then(setTokens)
      .catch((cause: unknown) => {
        if (!controller.signal.aborted) setError(asApiError(cause));
      });
    return () => controller.abort();
  }, [user.email]);

  const submit = async (): Promise<void> => {
    await create.run(async () => {
      const created = await createToken(user.email, name.trim());
      const { token: _secret, ...record } = created;
      setTokens([...(tokens ?? []), record]);
      setName('');
      setShown(created);
    });
  };

  const confirmRevoke = async (): Promise<void> => {
    if (!revoking) return;
    const target = revoking;
    const ok = await revoke.run(async () => {
      const revoked = await revokeToken(target.id);
      setTokens((tokens ?? []).map((token) => (token.id === revoked.id ? revoked : token)));
    });
    if (ok) setRevoking(null);
  };

  return (
    <section class="admin-subsection" aria-labelledby="admin-tokens-heading">
      <h3 id="admin-tokens-heading">{t('admin.tokens.title')}</h3>
      <p class="muted">{t('admin.tokens.explain')}</p>
      {error ? (
        <p class="notice notice-error" role="alert">
          {error.message}
        </p>
      ) : null}
      {tokens === null && !error ? (
        <p class="muted" role="status">
          {t('app.loading')}
        </p>
      ) : null}
      {tokens !== null && tokens.length === 0 ? <p>{t('admin.tokens.none')}</p> : null}
      {tokens !== null && tokens.length > 0 ? (
        <table class="admin-table">
          <thead>
            <tr>
              <th scope="col">{t('admin.tokens.name')}</th>
              <th scope="col">{t('admin.tokens.created')}</th>
              <th scope="col">{t('admin.tokens.state')}</th>
              <th scope="col">
                <span class="visually-hidden">{t('admin.users.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((token) => (
              <tr key={token.id}>
                <td>{token.name}</td>
                <td>{t('admin.users.createdBy', { time: formatDateTime(token.created_at), by: token.created_by })}</td>
                <td>
                  {token.revoked_at ? (
                    <span class="badge admin-state admin-state-disabled">
                      {t('admin.tokens.revokedAt', { time: formatDateTime(token.revoked_at) })}
                    </span>
                  ) : (
                    <span class="badge admin-state admin-state-active">{t('admin.tokens.live')}</span>
                  )}
                </td>
                <td>
                  {token.revoked_at ? null : (
                    <button
                      type="button"
                      class="button-quiet"
                      aria-label={t('admin.tokens.revokeNamed', { name: token.name })}
                      onClick={() => setRevoking(token)}
                    >
                      {t('admin.tokens.revoke')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {user.disabled ? null : (
        <OneFieldForm
          id="admin-token-name"
          field="name"
          label={t('admin.tokens.newName')}
          hint={t('admin.tokens.newNameHint')}
          type="text"
          autoComplete="off"
          value={name}
          onInput={setName}
          submitLabel={t('admin.tokens.create')}
          refusal={create.refusal}
          busy={create.busy}
          onSubmit={() => void submit()}
        />
      )}
      {shown ? <TokenShownOnce token={shown} onClose={() => setShown(null)} /> : null}
      {revoking ? (
        <Confirm
          id="admin-revoke-token"
          title={t('admin.tokens.revokeTitle', { name: revoking.name })}
          body={<p>{t('admin.tokens.revokeBody', { email: user.email })}</p>}
          confirmLabel={t('admin.tokens.revokeConfirm')}
          busy={revoke.busy}
          refusal={revoke.refusal?.message}
          onConfirm={() => void confirmRevoke()}
          onCancel={() => setRevoking(null)}
        />
      ) : null}
    </section>
  );
}

// The new token, once: a read-only field to copy it from, and the warning that it cannot be shown again.
function TokenShownOnce({ token, onClose }: { token: NewApiToken; onClose: () => void }): JSX.Element {
  const field = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);

  useEffect(() => {
    field.current?.focus();
    field.current?.select();
  }, []);

  const copy = async (): Promise<void> => {
    field.current?.select();
    try {
      await navigator.clipboard.writeText(token.token);
      setCopied('yes');
    } catch {
      // No clipboard permission (an insecure origin, a browser policy): the field is selected for Ctrl+C.
      setCopied('failed');
    }
  };

  return (
    <Modal id="admin-token-shown" title={t('admin.tokens.shownTitle', { name: token.name })} onClose={onClose}>
      <p class="notice notice-warning">{t('admin.tokens.shownOnce')}</p>
      <div class="field">
        <label for="admin-token-value">{t('admin.tokens.value')}</label>
        <input
          id="admin-token-value"
          ref={field}
          class="admin-token-value"
          type="text"
          readOnly
          spellcheck={false}
          autoComplete="off"
          value={token.token}
        />
      </div>
      <p role="status" class="small">
        {copied === 'yes' ? t('admin.tokens.copied') : null}
        {copied === 'failed' ? t('admin.tokens.copyFailed') : null}
      </p>
      <p class="small muted">{t('admin.tokens.useAs')}</p>
      <div class="form-actions">
        <button type="button" class="button-quiet" onClick={() => void copy()}>
          {t('admin.tokens.copy')}
        </button>
        <button type="button" class="button-primary" onClick={onClose}>
          {t('admin.tokens.done')}
        </button>
      </div>
    </Modal>
  );
}
