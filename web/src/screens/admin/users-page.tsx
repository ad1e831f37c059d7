// Users and roles (issue 12 §2 "Admin: users and roles, API tokens"): every user with their role and state, paged;
// one user's panel to unlock them, set a new password, disable them (ending their sessions, tokens and calendar
// feed), revoke their calendar feed, and manage their API tokens. Users are never deleted (docs/security.md).
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../api';
import { formatDateTime } from '../../format';
import { t, tn } from '../../i18n';
import { Page } from '../../page';
import { Link, queryParam, useLocation } from '../../router';
import { asApiError, LoadState, useSubmit, type Refusal } from '../patients/form';
import {
  designateMedicalDirector,
  disableUser,
  listUsers,
  resetSecondFactor,
  revokeCalendarFeed,
  setPassword,
  unlockUser,
  type AdminUser,
} from './admin-api';
import { Confirm } from './dialog';
import { OneFieldForm } from './one-field-form';
import { AdminSections } from './sections';
import { TokensSection } from './tokens';
import '../shared.css';
import './admin.css';

type UserState = 'disabled' | 'locked' | 'paused' | 'active';

// A lock that lifts by itself counts on the server's real time, as the browser's clock does (docs/api.md "Test
// clock": login throttling stays on the real time).
function stateOf(user: AdminUser, now: number): UserState {
  if (user.disabled) return 'disabled';
  if (user.needs_admin_unlock) return 'locked';
  if (user.locked_until !== undefined && Date.parse(user.locked_until) > now) return 'paused';
  return 'active';
}

function StateBadge({ user }: { user: AdminUser }): JSX.Element {
  const state = stateOf(user, Date.now());
  return (
    <span class={`badge admin-state admin-state-${state}`}>
      {state === 'paused' && user.locked_until
        ? t('admin.users.statePausedUntil', { time: formatDateTime(user.locked_until) })
        : t(`admin.users.state.${state}`)}
    </span>
  );
}

export function UsersPage(): JSX.Element {
  const { search } = useLocation();
  const added = queryParam(search, 'added');
  const [users, setUsers] = useState<AdminUser[] | null>(null);
  const [more, setMore] = useState<number | undefined>(undefined);
  const [error, setError] = useState<Refusal>(null);
  const [selected, setSelected] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    listUsers()
      .then((page) => {
        if (!live) return;
        setUsers(page.items);
        setMore(page.next_after);
      })
      .catch((cause: unknown) => {
        if (live) setError(asApiError(cause));
      });
    return () => {
      live = false;
    };
  }, []);

  const showMore = async (): Promise<void> => {
    try {
      const page = await listUsers(more);
      setUsers([...(users ?? []), ...page.items]);
      setMore(page.next_after);
    } catch (cause) {
      setError(asApiError(cause));
    }
  };

  // An action's answer is the user after the change: it replaces the row. A new medical director ends the
  // designation of the one before (at most one), in the same transaction on the server.
  const replace = (changed: AdminUser): void => {
    setUsers(
      (users ?? []).map((user) => {
        if (user.id === changed.id) return changed;
        return changed.medical_director && user.medical_director ? { ...user, medical_director: false } : user;
      }),
    );
  };

  const current = users?.find((user) => user.email === selected) ?? null;
  return (
    <Page
      title={t('page.admin')}
      actions={
        <Link class="button-link button-primary" href="/admin/users/new">
          {t('admin.users.add')}
        </Link>
      }
    >
      <AdminSections />
      {added ? (
        <p class="notice notice-info" role="status">
          {t('admin.users.added', { email: added })}
        </p>
      ) : null}
      <LoadState error={error} loading={users === null} />
      {users !== null ? (
        <section aria-labelledby="admin-users-heading">
          <h2 id="admin-users-heading">{t('admin.users.title')}</h2>
          <table class="admin-table">
            <thead>
              <tr>
                <th scope="col">{t('admin.users.name')}</th>
                <th scope="col">{t('admin.users.email')}</th>
                <th scope="col">{t('admin.users.role')}</th>
                <th scope="col">{t('admin.users.state')}</th>
                <th scope="col">
                  <span class="visually-hidden">{t('admin.users.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.map((user) => (
                <tr key={user.id} aria-current={user.email === selected ? 'true' : undefined}>
                  <td>{user.display_name || t('admin.users.noName')}</td>
                  <td>{user.email}</td>
                  <td>
                    {t(`role.${user.role}`)}
                    {user.patient_id !== undefined ? ` (${t('admin.users.patientRecord', { id: user.patient_id })})` : null}
                    {user.medical_director ? ` (${t('admin.users.medicalDirector')})` : null}
                  </td>
                  <td>
                    <StateBadge user={user} />
                    {user.failed_logins > 0 && !user.disabled ? (
                      <span class="small muted"> {tn('admin.users.failedLogins', user.failed_logins)}</span>
                    ) : null}
                  </td>
                  <td>
                    <button
                      type="button"
                      class="button-quiet"
                      aria-label={t('admin.users.manageUser', { email: user.email })}
                      onClick={() => setSelected(user.email)}
                    >
                      {t('admin.users.manage')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {more !== undefined ? (
            <button type="button" class="button-quiet" onClick={() => void showMore()}>
              {t('admin.users.more')}
            </button>
          ) : null}
        </section>
      ) : null}
      {current ? <UserPanel key={current.email} user={current} onChanged={replace} /> : null}
    </Page>
  );
}

type Pending = 'disable' | 'calendar' | 'second_factor' | null;

// One user's account: what an admin may do to it. The heading takes focus when it opens.
function UserPanel({ user, onChanged }: { user: AdminUser; onChanged: (user: AdminUser) => void }): JSX.Element {
  const heading = useRef<HTMLHeadingElement>(null);
  const [pending, setPending] = useState<Pending>(null);
  const [done, setDone] = useState<string | null>(null);
  const [password, setPasswordText] = useState('');
  const action = useSubmit();
  const passwordForm = useSubmit();
  const state = stateOf(user, Date.now());

  // On opening, and once disabled (the controls that had focus are gone), focus the account's heading.
  useEffect(() => heading.current?.focus(), [user.disabled]);

  const run = async (work: () => Promise<void>, message: string): Promise<void> => {
    setDone(null);
    if (await action.run(work)) {
      setPending(null);
      setDone(message);
    }
  };

  const unlock = (): Promise<void> =>
    run(async () => onChanged(await unlockUser(user.email)), t('admin.users.unlocked', { email: user.email }));

  const designate = (): Promise<void> =>
    run(
      async () => onChanged(await designateMedicalDirector(user.email)),
      t('admin.users.designated', { email: user.email }),
    );

  const disable = (): Promise<void> =>
    run(async () => onChanged(await disableUser(user.email)), t('admin.users.disabled', { email: user.email }));

  const revokeFeed = (): Promise<void> =>
    run(async () => {
      try {
        await revokeCalendarFeed(user.email);
      } catch (cause) {
        // docs/api.md: 404 on `calendar_feed` when the user has no live feed: nothing to revoke is an answer.
        if (cause instanceof ApiError && cause.status === 404 && cause.field === 'calendar_feed') {
          throw new ApiError(404, cause.code, t('admin.users.noFeed', { email: user.email }), 'calendar_feed');
        }
        throw cause;
      }
    }, t('admin.users.feedRevoked', { email: user.email }));

  const resetFactor = (): Promise<void> =>
    run(async () => {
      try {
        await resetSecondFactor(user.email);
      } catch (cause) {
        // docs/api.md: 409 when the user has no second factor: nothing to reset is an answer.
        if (cause instanceof ApiError && cause.status === 409) {
          throw new ApiError(409, cause.code, t('admin.users.noSecondFactor', { email: user.email }), 'email');
        }
        throw cause;
      }
    }, t('admin.users.secondFactorReset', { email: user.email }));

  const submitPassword = async (): Promise<void> => {
    setDone(null);
    const ok = await passwordForm.run(async () => onChanged(await setPassword(user.email, password)));
    if (ok) {
      setPasswordText('');
      setDone(t('admin.users.passwordSet', { email: user.email }));
    }
  };

  const refusal = action.refusal;
  return (
    <section class="admin-panel" aria-labelledby="admin-user-heading">
      <h2 id="admin-user-heading" ref={heading} tabIndex={-1}>
        {t('admin.users.panelTitle', { name: user.display_name || user.email })}
      </h2>
      <dl class="admin-facts">
        <dt>{t('admin.users.email')}</dt>
        <dd>{user.email}</dd>
        <dt>{t('admin.users.role')}</dt>
        <dd>
          {t(`role.${user.role}`)}
          {user.medical_director ? ` (${t('admin.users.medicalDirector')})` : null}
        </dd>
        <dt>{t('admin.users.state')}</dt>
        <dd>
          <StateBadge user={user} />
        </dd>
        <dt>{t('admin.users.created')}</dt>
        <dd>{t('admin.users.createdBy', { time: formatDateTime(user.created_at), by: user.created_by })}</dd>
      </dl>
      <div role="status" class="form-error-slot">
        {done ? <p class="notice notice-info">{done}</p> : null}
      </div>
      {refusal && pending === null ? (
        <p class="notice notice-error" role="alert">
          {refusal.message}
        </p>
      ) : null}
      {user.disabled ? (
        <p class="muted">{t('admin.users.disabledNote')}</p>
      ) : (
        <>
          <div class="row-actions">
            {state !== 'active' || user.failed_logins > 0 ? (
              <button type="button" class="button-quiet" disabled={action.busy} onClick={() => void unlock()}>
                {t('admin.users.unlock')}
              </button>
            ) : null}
            {user.role === 'prescriber' && !user.medical_director ? (
              <button type="button" class="button-quiet" disabled={action.busy} onClick={() => void designate()}>
                {t('admin.users.designate')}
              </button>
            ) : null}
            <button type="button" class="button-quiet" onClick={() => setPending('calendar')}>
              {t('admin.users.revokeFeed')}
            </button>
            {user.role !== 'patient' ? (
              <button type="button" class="button-quiet" onClick={() => setPending('second_factor')}>
                {t('admin.users.resetSecondFactor')}
              </button>
            ) : null}
            <button type="button" class="button-danger" onClick={() => setPending('disable')}>
              {t('admin.users.disable')}
            </button>
          </div>
          <OneFieldForm
            id="admin-new-password"
            field="password"
            label={t('admin.users.newPassword')}
            hint={t('admin.users.passwordHint')}
            type="password"
            autoComplete="new-password"
            value={password}
            onInput={setPasswordText}
            submitLabel={t('admin.users.setPassword')}
            refusal={passwordForm.refusal}
            busy={passwordForm.busy}
            onSubmit={() => void submitPassword()}
          />
        </>
      )}
      {pending === 'disable' ? (
        <Confirm
          id="admin-disable"
          title={t('admin.users.disableTitle', { email: user.email })}
          body={<p>{t('admin.users.disableBody')}</p>}
          confirmLabel={t('admin.users.disableConfirm')}
          busy={action.busy}
          refusal={refusal?.message}
          onConfirm={() => void disable()}
          onCancel={() => setPending(null)}
        />
      ) : null}
      {pending === 'calendar' ? (
        <Confirm
          id="admin-feed"
          title={t('admin.users.revokeFeedTitle', { email: user.email })}
          body={<p>{t('admin.users.revokeFeedBody')}</p>}
          confirmLabel={t('admin.users.revokeFeedConfirm')}
          busy={action.busy}
          refusal={refusal?.message}
          onConfirm={() => void revokeFeed()}
          onCancel={() => setPending(null)}
        />
      ) : null}
      {pending === 'second_factor' ? (
        <Confirm
          id="admin-second-factor"
          title={t('admin.users.resetSecondFactorTitle', { email: user.email })}
          body={<p>{t('admin.users.resetSecondFactorBody')}</p>}
          confirmLabel={t('admin.users.resetSecondFactorConfirm')}
          busy={action.busy}
          refusal={refusal?.message}
          onConfirm={() => void resetFactor()}
          onCancel={() => setPending(null)}
        />
      ) : null}
      <TokensSection user={user} />
    </section>
  );
}
