// The administration's sections, one page each: users (with their API tokens), clinic settings, the audit log.
import type { JSX } from 'preact';
import { t, type MessageKey } from '../../i18n';
import { Link, useLocation } from '../../router';

const SECTIONS: readonly { href: string; label: MessageKey }[] = [
  { href: '/admin', label: 'admin.nav.users' },
  { href: '/admin/settings', label: 'admin.nav.settings' },
  { href: '/admin/audit', label: 'admin.nav.audit' },
];

export function AdminSections(): JSX.Element {
  const { path } = useLocation();
  return (
    <nav class="subnav" aria-label={t('admin.nav.label')}>
      <ul>
        {SECTIONS.map((section) => (
          <li key={section.href}>
            <Link href={section.href} aria-current={path === section.href ? 'page' : undefined}>
              {t(section.label)}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
