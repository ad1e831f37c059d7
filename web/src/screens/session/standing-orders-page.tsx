// The clinic's standing orders (issue 14 §1; docs/api.md "Standing orders and PRN doses"): the set in force with
// every earlier version (each can be opened, so the orders in force on any date can be shown), and for the medical
// director (a prescriber, standing_order.sign) the editor that signs a new version: it starts from the set in force,
// and the server checks every term (drug known to the dictionary, bounds of the SBP condition and the limits). A
// refusal is shown with the field it names.
import type { JSX } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { may } from '../../access';
import { ApiError, get, post } from '../../api';
import { formatDateTime, formatQuantity, type Unit } from '../../format';
import { t, type MessageKey } from '../../i18n';
import { Page } from '../../page';
import { useSession } from '../../session';
import type { MedicationUnit, PrnTerms, StandingOrderSet } from './prn';
import '../shared.css';
import './session.css';

const UNITS: readonly MedicationUnit[] = ['mg', 'mcg', 'g', 'mL', 'units'];
const ROUTES: readonly string[] = ['iv', 'im', 'sc', 'po', 'sl', 'odt', 'nasal', 'inhaled', 'transdermal', 'topical', 'rectal'];

// An entry as typed: every number as text until it is sent.
interface Draft {
  drug: string;
  dose: string;
  unit: MedicationUnit;
  routes: string[];
  indication: string;
  sbpThreshold: string;
  sbpMinutes: string;
  maxDoses: string;
  maxTotal: string;
  interval: string;
}

function draftOf(terms: PrnTerms): Draft {
  return {
    drug: terms.drug,
    dose: String(terms.dose),
    unit: terms.unit,
    routes: [...terms.routes],
    indication: terms.indication,
    sbpThreshold: terms.sbp_condition ? String(terms.sbp_condition.systolic_at_or_above_mmhg) : '',
    sbpMinutes: terms.sbp_condition ? String(terms.sbp_condition.sustained_minutes) : '',
    maxDoses: String(terms.max_doses_per_session),
    maxTotal: terms.max_total_per_session === null ? '' : String(terms.max_total_per_session),
    interval: String(terms.min_interval_minutes),
  };
}

const EMPTY: Draft = {
  drug: '',
  dose: '',
  unit: 'mg',
  routes: [],
  indication: '',
  sbpThreshold: '',
  sbpMinutes: '',
  maxDoses: '1',
  maxTotal: '',
  interval: '0',
};

function bodyOf(draft: Draft): Record<string, unknown> {
  const number = (text: string): number => Number(text.trim());
  return {
    drug: draft.drug,
    dose: number(draft.dose),
    unit: draft.unit,
    routes: draft.routes,
    indication: draft.indication,
    ...(draft.sbpThreshold.trim()
      ? {
          sbp_condition: {
            systolic_at_or_above_mmhg: number(draft.sbpThreshold),
            sustained_minutes: number(draft.sbpMinutes || '0'),
          },
        }
      : {}),
    max_doses_per_session: number(draft.maxDoses),
    ...(draft.maxTotal.trim() ? { max_total_per_session: number(draft.maxTotal) } : {}),
    min_interval_minutes: number(draft.interval || '0'),
  };
}

function routeName(route: string): string {
  return t(`prn.route.${route}` as MessageKey);
}

function EntriesTable({ set }: { set: StandingOrderSet }): JSX.Element {
  return (
    <table class="admin-table standing-orders">
      <caption>
        {t('orders.versionCaption', {
          version: set.version,
          who: set.signed_by,
          time: formatDateTime(set.signed_at),
        })}
        {set.note ? ` · ${set.note}` : ''}
      </caption>
      <thead>
        <tr>
          <th scope="col">{t('orders.number')}</th>
          <th scope="col">{t('orders.drug')}</th>
          <th scope="col">{t('orders.dose')}</th>
          <th scope="col">{t('orders.routes')}</th>
          <th scope="col">{t('orders.indication')}</th>
          <th scope="col">{t('orders.condition')}</th>
          <th scope="col">{t('orders.limits')}</th>
        </tr>
      </thead>
      <tbody>
        {set.entries.map((e) => (
          <tr key={e.number}>
            <td>{e.number}</td>
            <td>{e.drug}</td>
            <td class="num">{formatQuantity(e.dose, e.unit as Unit)}</td>
            <td>{e.routes.map(routeName).join(', ')}</td>
            <td>{e.indication}</td>
            <td>
              {e.sbp_condition
                ? t('orders.sbp', {
                    threshold: e.sbp_condition.systolic_at_or_above_mmhg,
                    minutes: e.sbp_condition.sustained_minutes,
                  })
                : '—'}
            </td>
            <td>
              {t('prn.limits', {
                doses: e.max_doses_per_session,
                total:
                  e.max_total_per_session === null
                    ? ''
                    : t('prn.limitTotal', { total: formatQuantity(e.max_total_per_session, e.unit as Unit) }),
                interval: e.min_interval_minutes,
              })}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function EntryEditor({
  index,
  draft,
  onChange,
  onRemove,
}: {
  index: number;
  draft: Draft;
  onChange: (next: Draft) => void;
  onRemove: () => void;
}): JSX.Element {
  const id = (field: string): string => `entry-${index}-${field}`;
  const text = (field: keyof Draft, label: MessageKey, inputMode?: 'decimal' | 'numeric'): JSX.Element => (
    <div class="field">
      <label for={id(field)}>{t(label)}</label>
      <input
        id={id(field)}
        inputMode={inputMode}
        value={draft[field] as string}
        onInput={(e) => onChange({ ...draft, [field]: (e.target as HTMLInputElement).value })}
      />
    </div>
  );
  return (
    <fieldset class="order-entry" data-testid="order-entry">
      <legend>{t('orders.entryLegend', { number: index + 1 })}</legend>
      {text('drug', 'orders.drug')}
      {text('dose', 'orders.doseAtMost', 'decimal')}
      <div class="field">
        <label for={id('unit')}>{t('orders.unit')}</label>
        <select id={id('unit')} value={draft.unit} onChange={(e) => onChange({ ...draft, unit: (e.target as HTMLSelectElement).value as MedicationUnit })}>
          {UNITS.map((u) => (
            <option key={u} value={u}>
              {u}
            </option>
          ))}
        </select>
      </div>
      <fieldset>
        <legend>{t('orders.routes')}</legend>
        {ROUTES.map((r) => (
          <label class="check" key={r}>
            <input
              type="checkbox"
              checked={draft.routes.includes(r)}
              onChange={(e) =>
                onChange({
                  ...draft,
                  routes: (e.target as HTMLInputElement).checked ? [...draft.routes, r] : draft.routes.filter((x) => x !== r),
                })
              }
            />
            {routeName(r)}
          </label>
        ))}
      </fieldset>
      {text('indication', 'orders.indication')}
      {text('sbpThreshold', 'orders.sbpThreshold', 'numeric')}
      {text('sbpMinutes', 'orders.sbpMinutes', 'numeric')}
      {text('maxDoses', 'orders.maxDoses', 'numeric')}
      {text('maxTotal', 'orders.maxTotal', 'decimal')}
      {text('interval', 'orders.interval', 'numeric')}
      <button type="button" class="button-quiet" onClick={onRemove}>
        {t('orders.removeEntry', { number: index + 1 })}
      </button>
    </fieldset>
  );
}

function Editor({ current, onSigned }: { current: StandingOrderSet | null; onSigned: (set: StandingOrderSet) => void }): JSX.Element {
  const [drafts, setDrafts] = useState<Draft[]>(() => (current ? current.entries.map(draftOf) : [{ ...EMPTY }]));
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const sign = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const signed = await post<StandingOrderSet>('/standing-orders', {
        supersedes_version: current?.version ?? 0,
        ...(note.trim() ? { note } : {}),
        entries: drafts.map(bodyOf),
      });
      onSigned(signed);
      setNote('');
    } catch (caught) {
      setError(caught instanceof ApiError ? `${caught.field ?? ''}${caught.field ? ': ' : ''}${caught.message}` : String(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      class="form-stack"
      aria-labelledby="orders-edit-title"
      onSubmit={(e) => {
        e.preventDefault();
        void sign();
      }}
    >
      <h2 id="orders-edit-title">{t('orders.editTitle')}</h2>
      <p class="muted">{t('orders.editHelp')}</p>
      {drafts.map((d, i) => (
        <EntryEditor
          key={i}
          index={i}
          draft={d}
          onChange={(next) => setDrafts(drafts.map((x, j) => (j === i ? next : x)))}
          onRemove={() => setDrafts(drafts.filter((_, j) => j !== i))}
        />
      ))}
      <button type="button" class="button-quiet" onClick={() => setDrafts([...drafts, { ...EMPTY }])}>
        {t('orders.addEntry')}
      </button>
      <div class="field">
        <label for="orders-note">{t('orders.note')}</label>
        <input id="orders-note" value={note} onInput={(e) => setNote((e.target as HTMLInputElement).value)} />
      </div>
      <p class="field-error" role="alert">
        {error ?? ''}
      </p>
      <button type="submit" class="button-primary" disabled={busy || drafts.length === 0}>
        {t('orders.sign', { version: (current?.version ?? 0) + 1 })}
      </button>
    </form>
  );
}

export function StandingOrdersPage(): JSX.Element {
  const { user } = useSession();
  const [sets, setSets] = useState<StandingOrderSet[] | null>(null);
  const [shown, setShown] = useState<number | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      const answer = await get<{ items: StandingOrderSet[] }>('/standing-orders');
      setSets(answer.items);
      setShown(answer.items.length > 0 ? answer.items[answer.items.length - 1]!.version : null);
    } catch (caught) {
      setFailure(caught instanceof ApiError ? caught.message : String(caught));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  if (failure) {
    return (
      <Page title={t('orders.title')}>
        <p class="notice notice-error" role="alert">
          {failure}
        </p>
      </Page>
    );
  }
  if (!sets || !user) {
    return (
      <Page title={t('orders.title')}>
        <p role="status">{t('app.loading')}</p>
      </Page>
    );
  }
  const current = sets.length > 0 ? sets[sets.length - 1]! : null;
  const selected = sets.find((s) => s.version === shown) ?? null;
  return (
    <Page title={t('orders.title')}>
      {current ? (
        <p>{t('orders.inForce', { version: current.version, time: formatDateTime(current.signed_at) })}</p>
      ) : (
        <p class="muted">{t('orders.noneYet')}</p>
      )}
      {sets.length > 1 ? (
        <div class="field">
          <label for="orders-version">{t('orders.showVersion')}</label>
          <select id="orders-version" value={String(shown ?? '')} onChange={(e) => setShown(Number((e.target as HTMLSelectElement).value))}>
            {sets.map((s) => (
              <option key={s.version} value={String(s.version)}>
                {t('orders.versionOption', { version: s.version, time: formatDateTime(s.signed_at) })}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {selected ? <EntriesTable set={selected} /> : null}
      {may(user.role, 'standing_order.sign') ? (
        <Editor
          key={current?.version ?? 0}
          current={current}
          onSigned={(signed) => {
            setSets([...sets, signed]);
            setShown(signed.version);
          }}
        />
      ) : null}
    </Page>
  );
}
