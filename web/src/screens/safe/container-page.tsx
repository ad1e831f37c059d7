// One container of the safe (issue 14 §2): what it is and from whom, its balance (received = given + wasted +
// destroyed + returned to the supplier + discrepancy + drawn and in hand + on hand, each in its counting unit and in
// mg), and its log, oldest first. From here a nurse draws for an administration of a session (the administration is
// recorded first, on the session screen), then returns the remainder to stock (a multi-dose vial) or wastes it while
// a second licensed person signs as witness in place, with their own credentials (witness.tsx). Expired or damaged
// stock is destroyed the same way. The server keeps the balance and refuses any step that would break it, in its
// own words at the field it names.
import type { JSX } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { may } from '../../access';
import { get } from '../../api';
import { formatDateTime, formatQuantity } from '../../format';
import { t } from '../../i18n';
import { Page } from '../../page';
import { useSession } from '../../session';
import type { BoardEntry } from '../board/board-page';
import { Field, FormError, LoadState, asApiError, fieldError, useSubmit, type Refusal } from '../patients/form';
import type { SessionDetail } from '../session/model';
import { AmountField, amountOf, emptyAmount, type AmountText } from './amount';
import {
  destroy,
  draw,
  formatAmount,
  getContainer,
  returnToStock,
  waste,
  type Container,
  type Entry,
  type Quantity,
} from './inventory-api';
import { SafeSections } from './sections';
import { Expiry, TableScroll, containerName, kindLabel } from './shared';
import { WitnessDialog } from './witness';
import '../shared.css';
import '../admin/admin.css';
import '../patients/patients.css';
import './safe.css';

export function ContainerPage({ params }: { params: Readonly<Record<string, string>> }): JSX.Element {
  const id = Number(params.id);
  const { user } = useSession();
  const [container, setContainer] = useState<Container | null>(null);
  const [error, setError] = useState<Refusal>(null);
  const [done, setDone] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    getContainer(id, controller.signal)
      .then(setContainer)
      .catch((cause: unknown) => {
        if (!controller.signal.aborted) setError(asApiError(cause));
      });
    return () => controller.abort();
  }, [id]);

  // Every step answers the container as it is after it: the page shows that answer, never a guess.
  const after = (message: string) => (next: Container) => {
    setContainer(next);
    setDone(message);
  };

  const title = container ? containerName(container) : t('safe.container.title', { id });
  const role = user?.role;
  const usable = container !== null && !container.closed;
  return (
    <Page title={title}>
      <SafeSections />
      <LoadState error={error} loading={container === null && !error} />
      <div role="status" class="form-error-slot">
        {done ? (
          <div class="notice notice-info">
            <p>{done}</p>
          </div>
        ) : null}
      </div>
      {container ? (
        <>
          <Summary container={container} />
          {usable && role && may(role, 'inventory.draw') ? (
            <>
              <OpenDraws container={container} onDone={after} />
              {container.expired ? (
                <p class="notice notice-warning">{t('safe.draw.expired')}</p>
              ) : (
                <DrawForm container={container} onDrawn={after(t('safe.draw.done'))} />
              )}
            </>
          ) : null}
          {usable && role && may(role, 'inventory.destroy') && container.balance.on_hand.units > 0 ? (
            <DestroyPanel container={container} onDestroyed={after(t('safe.destroy.done'))} />
          ) : null}
          <EntryLog container={container} />
        </>
      ) : null}
    </Page>
  );
}

function Summary({ container }: { container: Container }): JSX.Element {
  const b = container.balance;
  const amount = (quantity: Quantity): string => formatAmount(container.unit, quantity);
  return (
    <section aria-labelledby="container-summary">
      <h2 id="container-summary">{t('safe.container.summary')}</h2>
      <dl class="safe-balance">
        <dt>{t('safe.col.lot')}</dt>
        <dd>{container.lot_number}</dd>
        <dt>{t('safe.col.expires')}</dt>
        <dd>
          <Expiry container={container} />
        </dd>
        <dt>{t('safe.col.location')}</dt>
        <dd>{container.closed ? t('safe.state.closed') : container.location}</dd>
        <dt>{t('safe.container.received')}</dt>
        <dd>
          {t('safe.container.receivedFrom', {
            time: formatDateTime(container.received_at),
            by: container.received_by,
            supplier: container.supplier,
            invoice: container.invoice,
          })}
        </dd>
        <dt>{t('safe.balance.received')}</dt>
        <dd>{amount(b.received)}</dd>
        <dt>{t('safe.balance.given')}</dt>
        <dd>{amount(b.given)}</dd>
        <dt>{t('safe.balance.wasted')}</dt>
        <dd>{amount(b.wasted)}</dd>
        <dt>{t('safe.balance.destroyed')}</dt>
        <dd>{amount(b.destroyed)}</dd>
        <dt>{t('safe.balance.returnedToSupplier')}</dt>
        <dd>{amount(b.returned_to_supplier)}</dd>
        <dt>{t('safe.balance.discrepancy')}</dt>
        <dd>{amount(b.discrepancy)}</dd>
        <dt>{t('safe.balance.inHand')}</dt>
        <dd>{amount(b.in_hand)}</dd>
        <dt>{t('safe.balance.onHand')}</dt>
        <dd>
          <strong>{amount(b.on_hand)}</strong>
        </dd>
      </dl>
    </section>
  );
}

// ----- drawing for an administration -------------------------------------------------------------------------------

interface Choice {
  readonly id: number;
  readonly label: string;
}

// Today's sessions from the board, and the chosen session's administrations of this container's drug (not entered
// in error): what a draw may be for.
function useAdministrations(drug: string, sessionId: string): { sessions: Choice[]; administrations: Choice[] } {
  const [sessions, setSessions] = useState<Choice[]>([]);
  const [administrations, setAdministrations] = useState<Choice[]>([]);
  useEffect(() => {
    const controller = new AbortController();
    get<{ sessions: BoardEntry[] }>('/board', undefined, controller.signal)
      .then((board) =>
        setSessions(
          board.sessions.map((entry) => ({
            id: entry.session.id,
            label: t('safe.draw.sessionChoice', {
              patient: entry.patient.display_name,
              mrn: entry.patient.mrn,
              number: entry.session.number,
              state: t(`session.state.${entry.state}`),
            }),
          })),
        ),
      )
      .catch(() => setSessions([]));
    return () => controller.abort();
  }, []);
  useEffect(() => {
    setAdministrations([]);
    if (sessionId === '') return undefined;
    const controller = new AbortController();
    get<SessionDetail>(`/sessions/${sessionId}`, undefined, controller.signal)
      .then((session) =>
        setAdministrations(
          (session.administrations ?? [])
            .filter((given) => given.drug === drug && !given.entered_in_error)
            .map((given) => ({
              id: given.id,
              label: t('safe.draw.administrationChoice', {
                id: given.id,
                dose: formatQuantity(given.dose_mg, 'mg'),
                route: given.route,
                time: formatDateTime(given.started_at),
              }),
            })),
        ),
      )
      .catch(() => setAdministrations([]));
    return () => controller.abort();
  }, [sessionId, drug]);
  return { sessions, administrations };
}

const DRAWN_FIELDS = ['drawn', 'drawn.mg', 'drawn.ml', 'drawn.devices', 'units', 'expires_on'];
const GIVEN_FIELDS = ['given', 'given.mg', 'given.ml', 'given.devices'];

function DrawForm({ container, onDrawn }: { container: Container; onDrawn: (next: Container) => void }): JSX.Element {
  const [sessionId, setSessionId] = useState('');
  const [administration, setAdministration] = useState('');
  const [drawn, setDrawn] = useState<AmountText>(emptyAmount(container.unit));
  const [given, setGiven] = useState<AmountText>(emptyAmount(container.unit));
  const { sessions, administrations } = useAdministrations(container.drug, sessionId);
  const { refusal, busy, run } = useSubmit();
  useEffect(() => setAdministration(administrations[0] ? String(administrations[0].id) : ''), [administrations]);
  const submit = (event: Event): void => {
    event.preventDefault();
    void run(async () => {
      const next = await draw(
        container.id,
        Number(administration),
        amountOf(drawn) ?? {},
        amountOf(given) ?? {},
      );
      setDrawn(emptyAmount(container.unit));
      setGiven(emptyAmount(container.unit));
      onDrawn(next);
    });
  };
  const drawnError = fieldError(refusal, ...DRAWN_FIELDS);
  const givenError = fieldError(refusal, ...GIVEN_FIELDS);
  return (
    <section aria-labelledby="safe-draw" class="admin-panel">
      <h2 id="safe-draw">{t('safe.draw.title')}</h2>
      <p class="muted">{t('safe.draw.explain')}</p>
      <form class="form-grid" onSubmit={submit} noValidate>
        <Field id="draw-session" label={t('safe.draw.session')}>
          {(described) => (
            <select id="draw-session" value={sessionId} onChange={(e) => setSessionId(e.currentTarget.value)} {...described}>
              <option value="">{t('safe.draw.chooseSession')}</option>
              {sessions.map((session) => (
                <option key={session.id} value={String(session.id)}>
                  {session.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          id="draw-administration"
          label={t('safe.draw.administration')}
          hint={sessionId !== '' && administrations.length === 0 ? t('safe.draw.noAdministration') : undefined}
          error={fieldError(refusal, 'administration_id')}
        >
          {(described) => (
            <select
              id="draw-administration"
              value={administration}
              onChange={(e) => setAdministration(e.currentTarget.value)}
              {...described}
            >
              {administrations.map((choice) => (
                <option key={choice.id} value={String(choice.id)}>
                  {choice.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <AmountField
          id="draw-drawn"
          label={t('safe.draw.drawn')}
          unit={container.unit}
          amount={drawn}
          onChange={setDrawn}
          error={drawnError}
        />
        <AmountField
          id="draw-given"
          label={t('safe.draw.given')}
          hint={t('safe.draw.givenHint')}
          unit={container.unit}
          amount={given}
          onChange={setGiven}
          error={givenError}
        />
        <FormError refusal={refusal} shownFields={['administration_id', ...DRAWN_FIELDS, ...GIVEN_FIELDS]} />
        <div class="form-actions">
          <button type="submit" class="button-primary" disabled={busy || administration === ''}>
            {t('safe.draw.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}

// ----- the remainder of a draw ---------------------------------------------------------------------------------

interface OpenDraw {
  readonly entry: Entry;
  readonly inHandUnits: number;
  readonly mgPerUnit: number;
}

// A draw's remainder still in hand: drawn - given - returned to stock - wasted, leaving out entries a correction
// reversed (the server's balance says the same in total: container.balance.in_hand).
function openDraws(container: Container): OpenDraw[] {
  const entries = container.entries ?? [];
  return container.open_draws.flatMap((drawId) => {
    const entry = entries.find((candidate) => candidate.id === drawId);
    if (!entry?.amount) return [];
    const settled = entries
      .filter(
        (other) =>
          other.refers_to === drawId &&
          (other.kind === 'return_to_stock' || other.kind === 'waste') &&
          (other.corrected_by ?? null) === null,
      )
      .reduce((sum, other) => sum + (other.amount?.units ?? 0), 0);
    const inHandUnits = entry.amount.units - (entry.given?.units ?? 0) - settled;
    const mgPerUnit = entry.amount.units > 0 ? entry.amount.mg / entry.amount.units : 0;
    return [{ entry, inHandUnits, mgPerUnit }];
  });
}

function quantityOf(container: Container, units: number, mgPerUnit: number): Quantity {
  return { units, mg: units * mgPerUnit, ml: container.unit === 'ul' ? units / 1000 : null };
}

function OpenDraws({
  container,
  onDone,
}: {
  container: Container;
  onDone: (message: string) => (next: Container) => void;
}): JSX.Element | null {
  const draws = useMemo(() => openDraws(container), [container]);
  if (draws.length === 0) return null;
  return (
    <section aria-labelledby="safe-open-draws" class="admin-panel">
      <h2 id="safe-open-draws">{t('safe.remainder.title')}</h2>
      <p class="muted">{t('safe.remainder.explain')}</p>
      <ul class="card-list">
        {draws.map((open) => (
          <OpenDrawCard key={open.entry.id} container={container} open={open} onDone={onDone} />
        ))}
      </ul>
    </section>
  );
}

const REMAINDER_FIELDS = ['amount', 'amount.mg', 'amount.ml', 'amount.devices', 'units', 'kind'];

function OpenDrawCard({
  container,
  open,
  onDone,
}: {
  container: Container;
  open: OpenDraw;
  onDone: (message: string) => (next: Container) => void;
}): JSX.Element {
  const { entry } = open;
  const inHand = quantityOf(container, open.inHandUnits, open.mgPerUnit);
  const [amount, setAmount] = useState<AmountText>(emptyAmount(container.unit));
  const [reason, setReason] = useState(t('safe.waste.defaultReason'));
  const [witnessing, setWitnessing] = useState(false);
  const returning = useSubmit();
  const idBase = `draw-${entry.id}`;
  const typed = amountOf(amount);
  const returnBack = (event: Event): void => {
    event.preventDefault();
    void returning.run(async () => {
      const next = await returnToStock(entry.id, typed ?? {});
      onDone(t('safe.return.done'))(next);
    });
  };
  const amountError = fieldError(returning.refusal, ...REMAINDER_FIELDS);
  return (
    <li class="card">
      <p>
        <strong>
          {t('safe.remainder.draw', {
            id: entry.id,
            drawn: entry.amount ? formatAmount(container.unit, entry.amount) : '',
            time: formatDateTime(entry.recorded_at),
            by: entry.recorded_by,
          })}
        </strong>
      </p>
      <p>
        {t('safe.remainder.given', {
          given: entry.given ? formatAmount(container.unit, entry.given) : '—',
          administration: entry.administration_id ?? '—',
        })}
      </p>
      <p>{t('safe.remainder.inHand', { amount: formatAmount(container.unit, inHand) })}</p>
      <form class="form-grid" onSubmit={returnBack} noValidate>
        <AmountField
          id={`${idBase}-amount`}
          label={t('safe.remainder.amount')}
          hint={t('safe.remainder.amountHint')}
          unit={container.unit}
          amount={amount}
          onChange={setAmount}
          error={amountError}
        />
        <Field id={`${idBase}-reason`} label={t('safe.waste.reason')} wide>
          {(described) => (
            <input id={`${idBase}-reason`} value={reason} onInput={(e) => setReason(e.currentTarget.value)} {...described} />
          )}
        </Field>
        <FormError refusal={returning.refusal} shownFields={REMAINDER_FIELDS} />
        <div class="form-actions">
          {container.multi_dose ? (
            <button type="submit" class="button-quiet" disabled={returning.busy || typed === undefined}>
              {t('safe.return.submit')}
            </button>
          ) : null}
          <button
            type="button"
            class="button-primary"
            disabled={typed === undefined}
            onClick={() => setWitnessing(true)}
          >
            {t('safe.waste.submit')}
          </button>
        </div>
      </form>
      {witnessing && typed ? (
        <WitnessDialog
          id={`${idBase}-witness`}
          title={t('safe.waste.witnessTitle')}
          summary={
            <p>
              {t('safe.waste.summary', {
                amount: amount.value,
                unit: amount.unit === 'devices' ? t('safe.amount.deviceUnit') : amount.unit === 'ml' ? 'mL' : 'mg',
                container: containerName(container),
                lot: container.lot_number,
                draw: entry.id,
                reason,
              })}
            </p>
          }
          confirmLabel={t('safe.waste.confirm')}
          onConfirm={async (witness) => {
            const next = await waste(container.id, entry.id, typed, reason.trim(), witness);
            setWitnessing(false);
            onDone(t('safe.waste.done', { witness: witness.email }))(next);
          }}
          onDone={() => undefined}
          onClose={() => setWitnessing(false)}
        />
      ) : null}
    </li>
  );
}

// ----- destruction ---------------------------------------------------------------------------------------------

function DestroyPanel({
  container,
  onDestroyed,
}: {
  container: Container;
  onDestroyed: (next: Container) => void;
}): JSX.Element {
  const [reason, setReason] = useState(container.expired ? t('safe.destroy.expiredReason') : '');
  const [witnessing, setWitnessing] = useState(false);
  return (
    <section aria-labelledby="safe-destroy" class="admin-panel">
      <h2 id="safe-destroy">{t('safe.destroy.title')}</h2>
      <p class="muted">
        {t('safe.destroy.explain', { amount: formatAmount(container.unit, container.balance.on_hand) })}
      </p>
      <div class="form-grid">
        <Field id="destroy-reason" label={t('safe.destroy.reason')} wide>
          {(described) => (
            <input id="destroy-reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} {...described} />
          )}
        </Field>
        <div class="form-actions">
          <button type="button" class="button-danger" disabled={reason.trim() === ''} onClick={() => setWitnessing(true)}>
            {t('safe.destroy.submit')}
          </button>
        </div>
      </div>
      {witnessing ? (
        <WitnessDialog
          id="destroy-witness"
          title={t('safe.destroy.witnessTitle')}
          summary={
            <p>
              {t('safe.destroy.summary', {
                amount: formatAmount(container.unit, container.balance.on_hand),
                container: containerName(container),
                lot: container.lot_number,
                reason,
              })}
            </p>
          }
          confirmLabel={t('safe.destroy.confirm')}
          onConfirm={async (witness) => {
            const next = await destroy(container.id, reason.trim(), witness);
            setWitnessing(false);
            onDestroyed(next);
          }}
          onDone={() => undefined}
          onClose={() => setWitnessing(false)}
        />
      ) : null}
    </section>
  );
}

// ----- the log -------------------------------------------------------------------------------------------------

function EntryLog({ container }: { container: Container }): JSX.Element {
  const entries = container.entries ?? [];
  return (
    <section aria-labelledby="safe-log">
      <h2 id="safe-log">{t('safe.log.title')}</h2>
      <TableScroll label={t('safe.log.title')}>
        <table class="data-table">
          <thead>
            <tr>
              <th scope="col">{t('safe.log.entry')}</th>
              <th scope="col">{t('safe.log.time')}</th>
              <th scope="col">{t('safe.log.kind')}</th>
              <th scope="col">{t('safe.log.amount')}</th>
              <th scope="col">{t('safe.log.by')}</th>
              <th scope="col">{t('safe.log.detail')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.id}>
                <td>{entry.id}</td>
                <td>{formatDateTime(entry.recorded_at)}</td>
                <td>{kindLabel(entry.kind)}</td>
                <td>{entry.amount ? formatAmount(container.unit, entry.amount) : '—'}</td>
                <td>
                  {entry.recorded_by}
                  {entry.witness ? (
                    <>
                      <br />
                      {t('safe.log.witness', { witness: entry.witness })}
                    </>
                  ) : null}
                </td>
                <td>{entryDetail(container, entry)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </section>
  );
}

function entryDetail(container: Container, entry: Entry): string {
  const parts: string[] = [];
  if (entry.kind === 'draw') {
    parts.push(
      t('safe.log.drawFor', {
        given: entry.given ? formatAmount(container.unit, entry.given) : '—',
        administration: entry.administration_id ?? '—',
        patient: entry.patient_id ?? '—',
      }),
    );
  }
  if (entry.kind === 'count' && entry.expected && entry.amount) {
    parts.push(
      entry.expected.units === entry.amount.units
        ? t('safe.log.countMatches')
        : t('safe.log.countDiffers', { expected: formatAmount(container.unit, entry.expected) }),
    );
  }
  if (entry.kind === 'receipt') parts.push(t('safe.log.receipt', { supplier: container.supplier, invoice: container.invoice }));
  if (entry.location && entry.kind !== 'receipt') parts.push(t('safe.log.location', { location: entry.location }));
  if (entry.reference) parts.push(t('safe.log.reference', { reference: entry.reference }));
  if (entry.refers_to) parts.push(t('safe.log.refersTo', { id: entry.refers_to }));
  if (entry.reason) parts.push(entry.reason);
  if (entry.corrected_by) parts.push(t('safe.log.correctedBy', { id: entry.corrected_by }));
  return parts.join(' · ');
}
