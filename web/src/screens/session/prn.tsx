// PRN medications on the session screen (issue 14 §1; docs/api.md "Standing orders and PRN doses"): the doses given
// in the session with the order each was given under and the patient's response, the form a nurse gives a dose
// with (the order chosen from the standing-order set in force and the session's one-off orders, the dose within the
// order, one of its routes), and the response recorded later. The server checks every rule (limits, interval, the
// SBP condition, the patient's medications and allergies); its refusal, which names the rule, is shown as it comes.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError, post } from '../../api';
import { formatQuantity, formatTime, type Unit } from '../../format';
import { t, type MessageKey } from '../../i18n';

export type MedicationUnit = 'mg' | 'mcg' | 'g' | 'mL' | 'units';

export interface PrnTerms {
  readonly drug: string;
  readonly dose: number;
  readonly unit: MedicationUnit;
  readonly routes: string[];
  readonly indication: string;
  readonly sbp_condition: { readonly systolic_at_or_above_mmhg: number; readonly sustained_minutes: number } | null;
  readonly max_doses_per_session: number;
  readonly max_total_per_session: number | null;
  readonly min_interval_minutes: number;
}

export interface StandingOrderSet {
  readonly id: number;
  readonly version: number;
  readonly note: string;
  readonly signed_at: string;
  readonly signed_by: string;
  readonly entries: (PrnTerms & { readonly number: number })[];
}

export interface OneOffOrder extends PrnTerms {
  readonly id: number;
  readonly session_id: number;
  readonly signed_at: string;
  readonly signed_by: string;
  readonly acknowledged_interactions: string[];
}

export interface SessionMedication {
  readonly id: number;
  readonly session_id: number;
  readonly drug: string;
  readonly dose: number;
  readonly unit: MedicationUnit;
  readonly route: string;
  readonly given_at: string;
  readonly indication: string;
  readonly order_kind: 'prn' | 'standing_order';
  readonly late_entry: boolean;
  readonly recorded_by: string;
}

export interface PrnDose extends SessionMedication {
  readonly standing_order_set_id: number | null;
  readonly entry_number: number | null;
  readonly one_off_order_id: number | null;
  readonly response: {
    readonly effective: boolean;
    readonly note: string;
    readonly recorded_at: string;
    readonly recorded_by: string;
  } | null;
}

function amount(value: number, unit: MedicationUnit): string {
  return formatQuantity(value, unit as Unit);
}

function routeName(route: string): string {
  return t(`prn.route.${route}` as MessageKey);
}

function errorMessage(error: unknown): string {
  return error instanceof ApiError ? error.message : String(error);
}

// What a nurse may choose: each entry of the set in force, then each one-off order of the session.
interface Choice {
  readonly key: string;
  readonly label: string;
  readonly terms: PrnTerms;
  readonly body: { entry_number: number } | { one_off_order_id: number };
}

function choicesOf(set: StandingOrderSet | null, oneOff: readonly OneOffOrder[]): Choice[] {
  const choices: Choice[] = [];
  for (const entry of set?.entries ?? []) {
    const condition = entry.sbp_condition
      ? t('prn.sbpCondition', {
          threshold: entry.sbp_condition.systolic_at_or_above_mmhg,
          minutes: entry.sbp_condition.sustained_minutes,
        })
      : '';
    choices.push({
      key: `entry-${entry.number}`,
      label: t('prn.orderEntry', {
        number: entry.number,
        drug: entry.drug,
        dose: amount(entry.dose, entry.unit),
        routes: entry.routes.map(routeName).join(', '),
        indication: entry.indication,
        condition,
      }),
      terms: entry,
      body: { entry_number: entry.number },
    });
  }
  for (const order of oneOff) {
    choices.push({
      key: `one-off-${order.id}`,
      label: t('prn.orderOneOff', {
        drug: order.drug,
        dose: amount(order.dose, order.unit),
        routes: order.routes.map(routeName).join(', '),
        indication: order.indication,
      }),
      terms: order,
      body: { one_off_order_id: order.id },
    });
  }
  return choices;
}

function GiveForm({
  sessionId,
  choices,
  onGiven,
}: {
  sessionId: number;
  choices: readonly Choice[];
  onGiven: (dose: PrnDose) => void;
}): JSX.Element {
  const [key, setKey] = useState('');
  const [dose, setDose] = useState('');
  const [route, setRoute] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const chosen = choices.find((c) => c.key === key);

  const choose = (next: string): void => {
    setKey(next);
    const choice = choices.find((c) => c.key === next);
    setDose(choice ? String(choice.terms.dose) : '');
    setRoute(choice?.terms.routes[0] ?? '');
    setError(null);
  };

  const submit = async (): Promise<void> => {
    if (!chosen) return;
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      const given = await post<PrnDose>(`/sessions/${sessionId}/prn-doses`, {
        ...chosen.body,
        dose: Number(dose.trim()),
        unit: chosen.terms.unit,
        route,
        indication: chosen.terms.indication,
      });
      onGiven(given);
      setSaved(t('prn.given', { drug: given.drug, dose: amount(given.dose, given.unit) }));
      setKey('');
      setDose('');
      setRoute('');
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  if (choices.length === 0) return <p class="muted">{t('prn.noOrders')}</p>;
  return (
    <form
      class="form-stack prn-give"
      aria-labelledby="prn-give-title"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h3 id="prn-give-title">{t('prn.giveTitle')}</h3>
      <div class="field">
        <label for="prn-order">{t('prn.order')}</label>
        <select id="prn-order" value={key} onChange={(e) => choose((e.target as HTMLSelectElement).value)}>
          <option value="">{t('scales.choose')}</option>
          {choices.map((c) => (
            <option key={c.key} value={c.key}>
              {c.label}
            </option>
          ))}
        </select>
        {chosen ? (
          <p class="muted" id="prn-limits">
            {t('prn.limits', {
              doses: chosen.terms.max_doses_per_session,
              total:
                chosen.terms.max_total_per_session === null
                  ? ''
                  : t('prn.limitTotal', { total: amount(chosen.terms.max_total_per_session, chosen.terms.unit) }),
              interval: chosen.terms.min_interval_minutes,
            })}
          </p>
        ) : null}
      </div>
      {chosen ? (
        <>
          <div class="field">
            <label for="prn-dose">
              {t('prn.dose', { unit: chosen.terms.unit, max: amount(chosen.terms.dose, chosen.terms.unit) })}
            </label>
            <input
              id="prn-dose"
              inputMode="decimal"
              value={dose}
              aria-describedby="prn-limits prn-error"
              onInput={(e) => setDose((e.target as HTMLInputElement).value)}
            />
          </div>
          <div class="field">
            <label for="prn-route">{t('prn.route')}</label>
            <select id="prn-route" value={route} onChange={(e) => setRoute((e.target as HTMLSelectElement).value)}>
              {chosen.terms.routes.map((r) => (
                <option key={r} value={r}>
                  {routeName(r)}
                </option>
              ))}
            </select>
          </div>
        </>
      ) : null}
      <p id="prn-error" class="field-error" role="alert">
        {error ?? ''}
      </p>
      {saved ? (
        <p class="notice" role="status">
          {saved}
        </p>
      ) : null}
      <button type="submit" class="button-primary" disabled={!chosen || busy || dose.trim() === ''}>
        {t('prn.give')}
      </button>
    </form>
  );
}

function ResponseForm({ dose, onAnswered }: { dose: PrnDose; onAnswered: (dose: PrnDose) => void }): JSX.Element {
  const [effective, setEffective] = useState<boolean | null>(null);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const name = `prn-effective-${dose.id}`;
  const submit = async (): Promise<void> => {
    setError(null);
    try {
      onAnswered(await post<PrnDose>(`/prn-doses/${dose.id}/response`, { effective, ...(note.trim() ? { note } : {}) }));
    } catch (caught) {
      setError(errorMessage(caught));
    }
  };
  return (
    <details class="prn-response">
      <summary>{t('prn.recordResponse')}</summary>
      <form
        class="form-stack"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <fieldset>
          <legend>{t('prn.responseLegend', { drug: dose.drug, time: formatTime(dose.given_at) })}</legend>
          <label class="check">
            <input type="radio" name={name} checked={effective === true} onChange={() => setEffective(true)} />
            {t('prn.responseEffective')}
          </label>
          <label class="check">
            <input type="radio" name={name} checked={effective === false} onChange={() => setEffective(false)} />
            {t('prn.responseNotEffective')}
          </label>
        </fieldset>
        <div class="field">
          <label for={`prn-note-${dose.id}`}>{t('prn.responseNote')}</label>
          <input id={`prn-note-${dose.id}`} value={note} onInput={(e) => setNote((e.target as HTMLInputElement).value)} />
        </div>
        <p class="field-error" role="alert">
          {error ?? ''}
        </p>
        <button type="submit" class="button-primary" disabled={effective === null}>
          {t('prn.saveResponse')}
        </button>
      </form>
    </details>
  );
}

function orderText(dose: PrnDose, sets: ReadonlyMap<number, number>, oneOff: readonly OneOffOrder[]): string {
  if (dose.standing_order_set_id !== null && dose.entry_number !== null) {
    return t('prn.underEntry', { version: sets.get(dose.standing_order_set_id) ?? '?', number: dose.entry_number });
  }
  const order = oneOff.find((o) => o.id === dose.one_off_order_id);
  return t('prn.underOneOff', { who: order?.signed_by ?? '' });
}

// The session's PRN doses (and, read-only, the other medications given), with the give form while the session is
// open and the actor may give doses. Shown on a finished session too, so the printed summary carries them.
export function PrnPanel({
  sessionId,
  doses,
  medications,
  standingOrders,
  oneOffOrders,
  canGive,
  onChanged,
}: {
  sessionId: number;
  doses: readonly PrnDose[];
  medications: readonly SessionMedication[];
  standingOrders: StandingOrderSet | null;
  oneOffOrders: readonly OneOffOrder[];
  canGive: boolean;
  onChanged: (dose: PrnDose) => void;
}): JSX.Element {
  // The set versions the doses name: the one in force now is the only one the screen holds; an earlier one shows
  // its id's version when it is the same set.
  const versions = new Map<number, number>();
  if (standingOrders) versions.set(standingOrders.id, standingOrders.version);
  const other = medications.filter((m) => !doses.some((d) => d.id === m.id));
  return (
    <section class="prn" aria-labelledby="prn-title">
      <h2 id="prn-title">{t('prn.title')}</h2>
      {doses.length === 0 ? <p class="muted">{t('prn.none')}</p> : null}
      <ul class="prn-doses">
        {doses.map((d) => (
          <li key={d.id} data-testid="prn-dose">
            <p>
              {t('prn.item', {
                drug: d.drug,
                dose: amount(d.dose, d.unit),
                route: routeName(d.route),
                time: formatTime(d.given_at),
                indication: d.indication,
              })}
              {' · '}
              {orderText(d, versions, oneOffOrders)} · {t('prn.givenBy', { who: d.recorded_by })}
              {d.late_entry ? ` · ${t('prn.lateEntry')}` : ''}
            </p>
            {d.response ? (
              <p class="prn-response-text">
                {t('prn.responseBy', {
                  result: d.response.effective ? t('prn.responseEffective') : t('prn.responseNotEffective'),
                  who: d.response.recorded_by,
                  time: formatTime(d.response.recorded_at),
                })}
                {d.response.note ? `: ${d.response.note}` : ''}
              </p>
            ) : canGive ? (
              <ResponseForm dose={d} onAnswered={onChanged} />
            ) : (
              <p class="muted">{t('prn.responseMissing')}</p>
            )}
          </li>
        ))}
      </ul>
      {other.length > 0 ? (
        <>
          <h3>{t('prn.otherMedications')}</h3>
          <ul>
            {other.map((m) => (
              <li key={m.id}>
                {t('prn.item', {
                  drug: m.drug,
                  dose: amount(m.dose, m.unit),
                  route: routeName(m.route),
                  time: formatTime(m.given_at),
                  indication: m.indication,
                })}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {canGive ? (
        <GiveForm sessionId={sessionId} choices={choicesOf(standingOrders, oneOffOrders)} onGiven={onChanged} />
      ) : null}
    </section>
  );
}
