// Pieces every page of the controlled-substance log shows: a container's name and lot, its expiry in words (an
// expired lot is said, not only coloured: it cannot be drawn from), and an entry's kind in words.
import type { ComponentChildren, JSX } from 'preact';
import { formatDate } from '../../format';
import { t, type MessageKey } from '../../i18n';
import type { ContainerRecord, EntryKind } from './inventory-api';

// `expired` is the server's (the clinic's today after the expiry date); a report as of another day says its own.
export function Expiry({ container }: { container: { readonly expires_on: string; readonly expired: boolean } }): JSX.Element {
  return container.expired ? (
    <span class="badge safe-expired">{t('safe.expiredOn', { date: formatDate(container.expires_on) })}</span>
  ) : (
    <span>{formatDate(container.expires_on)}</span>
  );
}

// "#7 Ketamine HCl 50 mg/mL, 10 mL multi-dose vial": the container's number, as the log and its reports name it.
export function containerName(container: Pick<ContainerRecord, 'id' | 'description'>): string {
  return t('safe.containerName', { id: container.id, description: container.description });
}

const KIND_KEYS: Readonly<Record<EntryKind, MessageKey>> = {
  receipt: 'safe.kind.receipt',
  transfer: 'safe.kind.transfer',
  draw: 'safe.kind.draw',
  return_to_stock: 'safe.kind.return_to_stock',
  waste: 'safe.kind.waste',
  destruction: 'safe.kind.destruction',
  return_to_supplier: 'safe.kind.return_to_supplier',
  count: 'safe.kind.count',
  resolution: 'safe.kind.resolution',
  correction: 'safe.kind.correction',
};

export function kindLabel(kind: EntryKind): string {
  return t(KIND_KEYS[kind]);
}

// A wide table that scrolls sideways inside the page rather than the page itself (WCAG 1.4.10), reachable by
// keyboard to scroll it (a focusable named region: WCAG 2.1.1).
export function TableScroll({ label, children }: { label: string; children: ComponentChildren }): JSX.Element {
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
}
