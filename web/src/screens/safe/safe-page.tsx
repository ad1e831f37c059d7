// The safe (issue 14 §2): every container of ketamine and esketamine on hand, by product, lot and container, with its
// expiry (an expired lot said in words: it cannot be drawn from, only destroyed before a witness), where it is and
// what is on hand and drawn but not yet given back or wasted, each in its counting unit and in mg. Open count
// discrepancies are announced first, since they stay open until the medical director signs their explanation. A
// prescriber or nurse receives stock here (one lot, n identical containers, with supplier and invoice: the receipt
// record of 21 CFR 1304.22(a)(2)(iv); docs/api.md).
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { may } from '../../access';
import { clinicDate } from '../../format';
import { t, tn } from '../../i18n';
import { Page } from '../../page';
import { Link } from '../../router';
import { useSession } from '../../session';
import { Field, FormError, LoadState, asApiError, fieldError, useSubmit, type Refusal } from '../patients/form';
import {
  formatAmount,
  listContainers,
  listDiscrepancies,
  listProducts,
  receive,
  type Container,
  type Discrepancy,
  type Product,
} from './inventory-api';
import { SafeSections } from './sections';
import { Expiry, TableScroll, containerName } from './shared';
import '../shared.css';
import '../admin/admin.css';
import '../patients/patients.css';
import './safe.css';

export function SafePage(): JSX.Element {
  const { user } = useSession();
  const [containers, setContainers] = useState<Container[] | null>(null);
  const [discrepancies, setDiscrepancies] = useState<Discrepancy[]>([]);
  const [products, setProducts] = useState<Product[]>([]);
  const [includeClosed, setIncludeClosed] = useState(false);
  const [error, setError] = useState<Refusal>(null);
  const [reload, setReload] = useState(0);
  const [received, setReceived] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    Promise.all([
      listContainers(includeClosed, controller.signal),
      listDiscrepancies(true, controller.signal),
      listProducts(controller.signal),
    ])
      .then(([stock, open, formulary]) => {
        setContainers(stock);
        setDiscrepancies(open);
        setProducts(formulary);
      })
      .catch((cause: unknown) => {
        if (!controller.signal.aborted) setError(asApiError(cause));
      });
    return () => controller.abort();
  }, [includeClosed, reload]);

  const mayReceive = user ? may(user.role, 'inventory.receive') : false;
  return (
    <Page title={t('safe.title')}>
      <SafeSections />
      <LoadState error={error} loading={containers === null && !error} />
      {discrepancies.length > 0 ? (
        <div class="notice notice-warning" role="status">
          <p>
            {tn('safe.openDiscrepancies', discrepancies.length)} <Link href="/safe/count">{t('safe.openDiscrepanciesLink')}</Link>
          </p>
        </div>
      ) : null}
      <div role="status" class="form-error-slot">
        {received ? (
          <div class="notice notice-info">
            <p>{received}</p>
          </div>
        ) : null}
      </div>
      {containers ? (
        <section aria-labelledby="safe-stock">
          <h2 id="safe-stock">{t('safe.stock.title')}</h2>
          <label class="choice no-print">
            <input
              type="checkbox"
              checked={includeClosed}
              onChange={(event) => setIncludeClosed(event.currentTarget.checked)}
            />
            {t('safe.stock.includeClosed')}
          </label>
          {containers.length === 0 ? (
            <p class="muted">{t('safe.stock.empty')}</p>
          ) : (
            <StockTable containers={containers} />
          )}
        </section>
      ) : null}
      {mayReceive && products.length > 0 ? (
        <ReceiveForm
          products={products}
          onReceived={(added) => {
            const first = added[0];
            setReceived(
              first
                ? t('safe.receive.done', {
                    containers: tn('safe.containers', added.length),
                    description: first.description,
                    lot: first.lot_number,
                  })
                : null,
            );
            setReload((value) => value + 1);
          }}
        />
      ) : null}
    </Page>
  );
}

function StockTable({ containers }: { containers: Container[] }): JSX.Element {
  return (
    <TableScroll label={t('safe.stock.title')}>
      <table class="data-table safe-table">
        <caption class="visually-hidden">{t('safe.stock.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('safe.col.container')}</th>
            <th scope="col">{t('safe.col.lot')}</th>
            <th scope="col">{t('safe.col.expires')}</th>
            <th scope="col">{t('safe.col.location')}</th>
            <th scope="col">{t('safe.col.onHand')}</th>
            <th scope="col">{t('safe.col.inHand')}</th>
            <th scope="col">{t('safe.col.state')}</th>
          </tr>
        </thead>
        <tbody>
          {containers.map((container) => (
            <tr key={container.id} class={container.expired ? 'safe-row-expired' : undefined}>
              <th scope="row">
                <Link href={`/safe/containers/${container.id}`}>{containerName(container)}</Link>
              </th>
              <td>{container.lot_number}</td>
              <td>
                <Expiry container={container} />
              </td>
              <td>{container.location}</td>
              <td>{formatAmount(container.unit, container.balance.on_hand)}</td>
              <td>
                {container.balance.in_hand.units > 0 ? formatAmount(container.unit, container.balance.in_hand) : '—'}
              </td>
              <td>{stateText(container)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

// The container's state in words: what a nurse must know before reaching for it.
function stateText(container: Container): string {
  const parts: string[] = [];
  if (container.closed) parts.push(t('safe.state.closed'));
  else if (container.balance.on_hand.units === 0 && container.balance.in_hand.units === 0) {
    parts.push(t('safe.state.empty'));
  } else if (container.expired) parts.push(t('safe.state.expired'));
  else parts.push(t('safe.state.inUse'));
  if (container.open_draws.length > 0) parts.push(tn('safe.state.openDraws', container.open_draws.length));
  if (container.open_discrepancies.length > 0) parts.push(t('safe.state.discrepancy'));
  return parts.join('; ');
}

const RECEIPT_FIELDS = ['product', 'lot_number', 'expires_on', 'supplier', 'invoice', 'location', 'containers'];

function ReceiveForm({
  products,
  onReceived,
}: {
  products: Product[];
  onReceived: (added: Container[]) => void;
}): JSX.Element {
  const [product, setProduct] = useState(products[0]?.code ?? '');
  const [lot, setLot] = useState('');
  const [expires, setExpires] = useState('');
  const [supplier, setSupplier] = useState('');
  const [invoice, setInvoice] = useState('');
  const [location, setLocation] = useState('safe');
  const [count, setCount] = useState('1');
  const { refusal, busy, run } = useSubmit();
  const submit = (event: Event): void => {
    event.preventDefault();
    void run(async () => {
      const added = await receive({
        product,
        lot_number: lot.trim(),
        expires_on: expires,
        supplier: supplier.trim(),
        invoice: invoice.trim(),
        location: location.trim(),
        containers: Number(count),
      });
      setLot('');
      setExpires('');
      setInvoice('');
      setCount('1');
      onReceived(added);
    });
  };
  return (
    <section aria-labelledby="safe-receive" class="admin-panel">
      <h2 id="safe-receive">{t('safe.receive.title')}</h2>
      <p class="muted">{t('safe.receive.explain')}</p>
      <form class="form-grid" onSubmit={submit} noValidate>
        <Field id="receive-product" label={t('safe.receive.product')} error={fieldError(refusal, 'product')}>
          {(described) => (
            <select
              id="receive-product"
              value={product}
              onChange={(event) => setProduct(event.currentTarget.value)}
              {...described}
            >
              {products.map((item) => (
                <option key={item.code} value={item.code}>
                  {item.description}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="receive-lot" label={t('safe.receive.lot')} error={fieldError(refusal, 'lot_number')}>
          {(described) => (
            <input
              id="receive-lot"
              value={lot}
              autocomplete="off"
              onInput={(event) => setLot(event.currentTarget.value)}
              {...described}
            />
          )}
        </Field>
        <Field
          id="receive-expires"
          label={t('safe.receive.expires')}
          hint={t('safe.receive.expiresHint', { today: clinicDate() })}
          error={fieldError(refusal, 'expires_on')}
        >
          {(described) => (
            <input
              id="receive-expires"
              type="date"
              value={expires}
              onInput={(event) => setExpires(event.currentTarget.value)}
              {...described}
            />
          )}
        </Field>
        <Field id="receive-count" label={t('safe.receive.containers')} error={fieldError(refusal, 'containers')}>
          {(described) => (
            <input
              id="receive-count"
              type="number"
              min={1}
              max={100}
              step={1}
              value={count}
              onInput={(event) => setCount(event.currentTarget.value)}
              {...described}
            />
          )}
        </Field>
        <Field id="receive-supplier" label={t('safe.receive.supplier')} error={fieldError(refusal, 'supplier')}>
          {(described) => (
            <input
              id="receive-supplier"
              value={supplier}
              onInput={(event) => setSupplier(event.currentTarget.value)}
              {...described}
            />
          )}
        </Field>
        <Field
          id="receive-invoice"
          label={t('safe.receive.invoice')}
          hint={t('safe.receive.invoiceHint')}
          error={fieldError(refusal, 'invoice')}
        >
          {(described) => (
            <input
              id="receive-invoice"
              value={invoice}
              autocomplete="off"
              onInput={(event) => setInvoice(event.currentTarget.value)}
              {...described}
            />
          )}
        </Field>
        <Field id="receive-location" label={t('safe.receive.location')} error={fieldError(refusal, 'location')}>
          {(described) => (
            <input
              id="receive-location"
              value={location}
              onInput={(event) => setLocation(event.currentTarget.value)}
              {...described}
            />
          )}
        </Field>
        <FormError refusal={refusal} shownFields={RECEIPT_FIELDS} />
        <div class="form-actions">
          <button type="submit" class="button-primary" disabled={busy}>
            {t('safe.receive.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}
