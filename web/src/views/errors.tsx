// What a user sees at an address that is no page, or a page their role may not open.
import type { JSX } from 'preact';
import { homePath, type Role } from '../access';
import { t } from '../i18n';
import { Page } from '../page';
import { Link } from '../router';

export function NotFound({ path, role }: { path: string; role: Role | undefined }): JSX.Element {
  return (
    <Page title={t('notFound.title')}>
      <p>{t('notFound.body', { path })}</p>
      {role ? (
        <p>
          <Link href={homePath(role)}>{t('notFound.home')}</Link>
        </p>
      ) : null}
    </Page>
  );
}

export function NotPermitted({ role }: { role: Role }): JSX.Element {
  return (
    <Page title={t('forbidden.title')}>
      <p class="notice notice-warning" role="alert">
        {t('forbidden.body', { role: t(`role.${role}`) })}
      </p>
      <p>
        <Link href={homePath(role)}>{t('notFound.home')}</Link>
      </p>
    </Page>
  );
}
