// The count of the safe (issue 14 §2): two people count one storage location together, container by container, and
// record what they found; the first is the user at the screen, the second signs in place as witness with their own
// credentials (witness.tsx). The book's amounts are not shown until the count is recorded, so the count is blind
// (clinic policy: a count that can copy the book finds nothing). A difference from the book is a discrepancy: the
// server alerts the medical director, and it stays open, here and on the safe's page, until the medical director
// (inventory.sign_discrepancy) explains and signs it (21 CFR 1301.76(b): a loss is investigated and reported).
import type { JSX } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { may } from '../../access';
import { formatDateTime } from '../../format';
import { t, tn } from '../../i18n';
import { Page } from '../../page';
import { useSession } from '../../session';
import { Field, FormError, LoadState, asApiError, fieldError, useSubmit, type Refusal } from '../patients/form';
import { AmountField, amountOf, emptyAmount, type AmountText } from './amount';
import {
  count,
  formatAmount,
  formatMeasured,
  listContainers,
  listDiscrepancies,
  resolve,
  type Container,
  type Discrepancy,
  type FoundLine,
  type Quantity,
} from './inventory-api';
import { SafeSections } from './sections';
import { Expiry, containerName } from './shared';
import { WitnessDialog } from './witness';
import '../shared.css';
import '../admin/admin.css';
import '../patients/patients.css';
import './safe.css';

export function CountPage(): JSX.Element {
  const { user } = useSession();
  const [containers, setContainers] = useState<Container[] | null>(null);
  const [discrepancies, setDiscrepancies] = useState<Discrepancy[]>([]);
  const [error, setError] = useState<Refusal>(null);
  const [reload, setReload] = useState(0);
  const [counted, setCounted] = useState<Container[] | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    Promise.all([listContainers(false, controller.signal), listDiscrepancies(false, controller.signal)])
      .then(([stock, all]) => {
        setContainers(stock);
        setDiscrepancies(all);
      })
      .catch((cause: unknown) => {
        if (!controller.signal.aborted) setError(asApiError(cause));
      });
    return () => controller.abort();
  }, [reload]);

  const open = discrepancies.filter((item) => item.resolution === null);
  const resolved = discrepancies.filter((item) => item.resolution !== null);
  const maySign = user ? may(user.role, 'inventory.sign_discrepancy') : false;
  return (
    <Page title={t('safe.count.title')}>
      <SafeSections />
      <LoadState error={error} loading={containers === null && !error} />
      {counted ? <CountResult containers={counted} discrepancies={discrepancies} /> : null}
      {containers && user && may(user.role, 'inventory.count') ? (
        <CountForm
          containers={containers}
          onCounted={(result) => {
            setCounted(result);
            setReload((value) => value + 1);
          }}
        />
      ) : null}
      <section aria-labelledby="safe-discrepancies">
        <h2 id="safe-discrepancies">{t('safe.discrepancy.title')}</h2>
        {open.length === 0 ? <p class="muted">{t('safe.discrepancy.none')}</p> : null}
        <ul class="card-list">
          {open.map((item) => (
            <DiscrepancyCard
              key={item.count.id}
              item={item}
              maySign={maySign}
              onResolved={() => setReload((value) => value + 1)}
            />
          ))}
        </ul>
        {resolved.length > 0 ? (
          <details>
            <summary>{tn('safe.discrepancy.resolvedCount', resolved.length)}</summary>
            <ul class="card-list">
              {resolved.map((item) => (
                <DiscrepancyCard key={item.count.id} item={item} maySign={false} onResolved={() => undefined} />
              ))}
            </ul>
          </details>
        ) : null}
      </section>
    </Page>
  );
}

function CountForm({
  containers,
  onCounted,
}: {
  containers: Container[];
  onCounted: (counted: Container[]) => void;
}): JSX.Element {
  const locations = useMemo(
    () => [...new Set(containers.filter((item) => !item.closed).map((item) => item.location))].sort(),
    [containers],
  );
  const [location, setLocation] = useState(locations.includes('safe') ? 'safe' : (locations[0] ?? ''));
  const here = containers.filter((item) => !item.closed && item.location === location);
  const [found, setFound] = useState<Readonly<Record<number, AmountText>>>({});
  const [note, setNote] = useState('');
  const [witnessing, setWitnessing] = useState(false);
  const [refusal, setRefusal] = useState<Refusal>(null);
  const amountText = (item: Container): AmountText => found[item.id] ?? emptyAmount(item.unit);
  const lines: FoundLine[] = here.flatMap((item) => {
    const amount = amountOf(amountText(item));
    return amount ? [{ container_id: item.id, amount }] : [];
  });
  const complete = here.length > 0 && lines.length === here.length;
  return (
    <section aria-labelledby="safe-count" class="admin-panel">
      <h2 id="safe-count">{t('safe.count.formTitle')}</h2>
      <p class="muted">{t('safe.count.explain')}</p>
      <form
        class="form-grid"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (complete) setWitnessing(true);
        }}
      >
        <Field id="count-location" label={t('safe.count.location')} error={fieldError(refusal, 'location')}>
          {(described) => (
            <select id="count-location" value={location} onChange={(e) => setLocation(e.currentTarget.value)} {...described}>
              {locations.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div class="field-wide">
          {here.map((item) => (
            <fieldset key={item.id} class="checks">
              <legend>
                {containerName(item)} · {t('safe.count.lot', { lot: item.lot_number })} · <Expiry container={item} />
              </legend>
              <AmountField
                id={`count-found-${item.id}`}
                label={t('safe.count.found', { id: item.id })}
                unit={item.unit}
                amount={amountText(item)}
                onChange={(amount) => setFound({ ...found, [item.id]: amount })}
              />
            </fieldset>
          ))}
        </div>
        <Field id="count-note" label={t('safe.count.note')} wide error={fieldError(refusal, 'note')}>
          {(described) => (
            <input id="count-note" value={note} onInput={(e) => setNote(e.currentTarget.value)} {...described} />
          )}
        </Field>
        <FormError refusal={refusal} shownFields={['location', 'note']} />
        <div class="form-actions">
          <button type="submit" class="button-primary" disabled={!complete}>
            {t('safe.count.submit')}
          </button>
          {!complete ? <span class="muted">{t('safe.count.incomplete')}</span> : null}
        </div>
      </form>
      {witnessing ? (
        <WitnessDialog
          id="count-witness"
          title={t('safe.count.witnessTitle')}
          summary={<p>{t('safe.count.summary', { location, containers: tn('safe.containers', here.length) })}</p>}
          confirmLabel={t('safe.count.confirm')}
          onConfirm={async (witness) => {
            setRefusal(null);
            const result = await count(location, lines, note.trim(), witness);
            setWitnessing(false);
            setFound({});
            setNote('');
            onCounted(result);
          }}
          onDone={() => undefined}
          onClose={() => setWitnessing(false)}
        />
      ) : null}
    </section>
  );
}

// What the count found against the book, container by container, once recorded: a container the count found as
// the book says holds what was found; one it found otherwise has the count's open discrepancy, which says both.
function CountResult({
  containers,
  discrepancies,
}: {
  containers: Container[];
  discrepancies: Discrepancy[];
}): JSX.Element {
  const rows = containers.map((item) => {
    const latest = item.open_discrepancies[item.open_discrepancies.length - 1];
    const counted = discrepancies.find((discrepancy) => discrepancy.count.id === latest)?.count;
    const found = counted?.amount ?? item.balance.on_hand;
    const expected = counted ? (counted.expected ?? null) : item.balance.on_hand;
    return { item, found, expected, differs: latest !== undefined };
  });
  const differing = rows.filter((row) => row.differs).length;
  return (
    <section aria-labelledby="safe-count-result" class="notice notice-info" role="status">
      <h2 id="safe-count-result">{t('safe.count.recorded')}</h2>
      <p>{differing === 0 ? t('safe.count.allMatch') : tn('safe.count.differences', differing)}</p>
      <table class="data-table">
        <thead>
          <tr>
            <th scope="col">{t('safe.col.container')}</th>
            <th scope="col">{t('safe.count.book')}</th>
            <th scope="col">{t('safe.count.foundCol')}</th>
            <th scope="col">{t('safe.count.outcome')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ item, found, expected }) => (
            <tr key={item.id}>
              <th scope="row">{containerName(item)}</th>
              <td>{expected ? formatAmount(item.unit, expected) : '—'}</td>
              <td>{formatAmount(item.unit, found)}</td>
              <td>{differenceText(item, found, expected)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function differenceText(item: Container, found: Quantity | null, expected: Quantity | null): string {
  if (!found || !expected) return '—';
  if (found.units === expected.units) return t('safe.count.matches');
  const missing = expected.units - found.units;
  const difference: Quantity = {
    units: Math.abs(missing),
    mg: Math.abs(expected.mg - found.mg),
    ml: expected.ml === null || found.ml === null ? null : Math.abs(expected.ml - found.ml),
  };
  const amount = formatAmount(item.unit, difference);
  return missing > 0 ? t('safe.count.missing', { amount }) : t('safe.count.over', { amount });
}

function DiscrepancyCard({
  item,
  maySign,
  onResolved,
}: {
  item: Discrepancy;
  maySign: boolean;
  onResolved: () => void;
}): JSX.Element {
  const [explanation, setExplanation] = useState('');
  const { refusal, busy, run } = useSubmit(onResolved);
  const { count: entry, resolution } = item;
  const idBase = `discrepancy-${entry.id}`;
  const found = entry.amount;
  const expected = entry.expected;
  return (
    <li class={resolution ? 'card safe-discrepancy-resolved' : 'card safe-discrepancy'} aria-labelledby={`${idBase}-title`}>
      <p id={`${idBase}-title`}>
        <strong>
          {resolution ? t('safe.discrepancy.resolvedLabel') : t('safe.discrepancy.openLabel')}:{' '}
          {t('safe.discrepancy.what', { product: item.description, lot: item.lot_number, container: entry.container_id })}
        </strong>
      </p>
      <p>
        {t('safe.discrepancy.found', {
          expected: expected ? formatMeasured(expected) : '—',
          found: found ? formatMeasured(found) : '—',
          time: formatDateTime(entry.recorded_at),
          by: entry.recorded_by,
          witness: entry.witness ?? '—',
        })}
      </p>
      {entry.reason ? <p>{t('safe.discrepancy.note', { note: entry.reason })}</p> : null}
      {resolution ? (
        <p>
          {t('safe.discrepancy.explained', {
            explanation: resolution.reason ?? '',
            by: resolution.recorded_by,
            time: formatDateTime(resolution.recorded_at),
          })}
        </p>
      ) : maySign ? (
        <form
          class="form-grid"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void run(() => resolve(entry.id, explanation.trim()));
          }}
        >
          <Field id={`${idBase}-explanation`} label={t('safe.discrepancy.explanation')} wide error={fieldError(refusal, 'explanation')}>
            {(described) => (
              <textarea
                id={`${idBase}-explanation`}
                rows={3}
                value={explanation}
                onInput={(e) => setExplanation(e.currentTarget.value)}
                {...described}
              />
            )}
          </Field>
          <FormError refusal={refusal} shownFields={['explanation']} />
          <div class="form-actions">
            <button type="submit" class="button-primary" disabled={busy || explanation.trim() === ''}>
              {t('safe.discrepancy.sign')}
            </button>
          </div>
        </form>
      ) : (
        <p class="muted">{t('safe.discrepancy.awaitsDirector')}</p>
      )}
    </li>
  );
}
