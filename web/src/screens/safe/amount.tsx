// An amount as a nurse measures it: a vial's in mL (what the syringe shows) or mg (what the order says), a kit's in
// devices. The server turns it into whole microlitres or devices and refuses, at the field, one that does not come
// to them.
import type { JSX } from 'preact';
import { t } from '../../i18n';
import { Field } from '../patients/form';
import type { Amount, CountingUnit } from './inventory-api';

export interface AmountText {
  readonly value: string;
  readonly unit: 'mg' | 'ml' | 'devices';
}

export function emptyAmount(unit: CountingUnit): AmountText {
  return { value: '', unit: unit === 'device' ? 'devices' : 'ml' };
}

// The amount to send, or undefined while the field is empty or not a number (the server then names the field).
export function amountOf(text: AmountText): Amount | undefined {
  const trimmed = text.value.trim();
  if (trimmed === '') return undefined;
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return undefined;
  if (text.unit === 'devices') return { devices: value };
  return text.unit === 'mg' ? { mg: value } : { ml: value };
}

interface AmountFieldProps {
  readonly id: string;
  readonly label: string;
  readonly unit: CountingUnit;
  readonly amount: AmountText;
  readonly onChange: (amount: AmountText) => void;
  readonly error?: string;
  readonly hint?: string;
}

export function AmountField({ id, label, unit, amount, onChange, error, hint }: AmountFieldProps): JSX.Element {
  return (
    <Field id={id} label={label} error={error} hint={hint}>
      {(described) => (
        <div class="amount-input">
          <input
            id={id}
            type="number"
            inputMode="decimal"
            min={0}
            step={unit === 'device' ? 1 : 'any'}
            value={amount.value}
            onInput={(event) => onChange({ ...amount, value: event.currentTarget.value })}
            {...described}
          />
          {unit === 'device' ? (
            <span>{t('safe.amount.deviceUnit')}</span>
          ) : (
            <select
              aria-label={t('safe.amount.unitOf', { label })}
              value={amount.unit}
              onChange={(event) => onChange({ ...amount, unit: event.currentTarget.value as 'mg' | 'ml' })}
            >
              <option value="ml">mL</option>
              <option value="mg">mg</option>
            </select>
          )}
        </div>
      )}
    </Field>
  );
}
