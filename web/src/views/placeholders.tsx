// Placeholder screens: a heading each, until the screen helpers replace them (issue 12 §2, §3). The board already
// watches the live channel, so the layout's live status works from the start.
import type { JSX } from 'preact';
import { useMemo } from 'preact/hooks';
import { may } from '../access';
import { t } from '../i18n';
import { useLiveTopic } from '../live';
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

export function BoardPage(): JSX.Element {
  const handlers = useMemo(() => ({ onEvent: () => undefined }), []);
  useLiveTopic('board', handlers);
  return <Placeholder title={t('page.board')} />;
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
