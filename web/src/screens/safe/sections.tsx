// The controlled-substance log's sections, one page each: the safe (stock, receipts, draws), the count of the safe
// with its discrepancies, and the inspector's reports.
import type { JSX } from 'preact';
import { t, type MessageKey } from '../../i18n';
import { Link, useLocation } from '../../router';

const SECTIONS: readonly { href: string; label: MessageKey }[] = [
  { href: '/safe', label: 'safe.nav.stock' },
  { href: '/safe/count', label: 'safe.nav.count' },
  { href: '/safe/reports', label: 'safe.nav.reports' },
];

export function SafeSections(): JSX.Element {
  const { path } = useLocation();
  return (
    <nav class="subnav" aria-label={t('safe.nav.label')}>
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
