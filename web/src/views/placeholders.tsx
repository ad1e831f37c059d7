// The patient record's sub-navigation (the placeholder screens it once sat beside have all been built).
import type { JSX } from 'preact';
import { may } from '../access';
import { t } from '../i18n';
import { Link } from '../router';
import { useSession } from '../session';

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
