// Placeholder screens: a heading each, until the screen helpers replace them (issue 12 §2, §3).
import type { JSX } from 'preact';
import { may } from '../access';
import { t } from '../i18n';
import { Page } from '../page';
import { Link } from '../router';
import { useSession } from '../session';

function Placeholder({ title }: { title: string }): JSX.Element {
  return (
    <Page title={title}>
      <p class="muted">{t('page.placeholder')}</p>
    </Page>
  );
}

// The sections of one patient's record, each shown only to roles that may open it.
export function PatientSections({ id }: { id: string }): JSX.Element {
  const { user } = useSession();
  const here = window.location.pathname;
  const links = [
    { href: `/patients/${encodeURIComponent(id)}`, label: t('nav.chart'), show: true },
    {
      href: `/patients/${encodeURIComponent(id)}/notes`,
      label: t('nav.notes'),
      show: user !== null && may(user.role, 'note.read'),
    },
  ].filter((link) => link.show);
  return (
    <nav class="subnav" aria-label={t('nav.patientSections')}>
      <ul>
        {links.map((link) => (
          <li key={link.href}>
            <Link href={link.href} aria-current={here === link.href ? 'page' : undefined}>
              {link.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function AdminPage(): JSX.Element {
  return <Placeholder title={t('page.admin')} />;
}
