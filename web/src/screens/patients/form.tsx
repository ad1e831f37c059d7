// Form pieces of the patient screens: a labelled field that shows, next to itself, the reason the API gave when it
// refused that field (docs/api.md "Errors": `field` names the input at fault), and a form-level notice for a refusal
// that names no field of the form.
import type { ComponentChildren, JSX } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError } from '../../api';
import { t } from '../../i18n';

// The API's refusal being shown, or null.
export type Refusal = ApiError | null;

export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(0, 'unexpected', t('error.unexpected', { status: 0 }));
}

// The refusal's message when it names `field` (or one of `fields`), for the field itself.
export function fieldError(refusal: Refusal, ...fields: string[]): string | undefined {
  return refusal?.field !== undefined && fields.includes(refusal.field) ? refusal.message : undefined;
}

interface FieldProps {
  readonly id: string;
  readonly label: string;
  // The API's reason for refusing this field (fieldError), shown under it and tied to it with aria-describedby.
  readonly error?: string;
  readonly hint?: string;
  // Spans the whole row of a grid form (a reason to write).
  readonly wide?: boolean;
  readonly children: (described: { 'aria-describedby'?: string; 'aria-invalid'?: boolean }) => ComponentChildren;
}

export function Field({ id, label, error, hint, wide, children }: FieldProps): JSX.Element {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div class={wide ? 'field field-wide' : 'field'}>
      <label for={id}>{label}</label>
      {hint ? (
        <span id={hintId} class="field-hint muted">
          {hint}
        </span>
      ) : null}
      {children({ 'aria-describedby': describedBy, 'aria-invalid': error ? true : undefined })}
      {error ? (
        <span id={errorId} class="field-error" role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}

// A refusal that names none of `shownFields` (those have their own place next to the field): shown above the form.
export function FormError({ refusal, shownFields }: { refusal: Refusal; shownFields: readonly string[] }): JSX.Element {
  const show = refusal !== null && (refusal.field === undefined || !shownFields.includes(refusal.field));
  return (
    <div role="alert" class="form-error-slot">
      {show && refusal ? (
        <div class="notice notice-error">
          <p>{refusal.field ? t('error.field', { field: refusal.field, message: refusal.message }) : refusal.message}</p>
        </div>
      ) : null}
    </div>
  );
}

// Loading and failure of a screen's data: the message says what to do next (issue 12 §4).
export function LoadState({ error, loading }: { error: Refusal; loading: boolean }): JSX.Element | null {
  if (error) {
    return (
      <div class="notice notice-error" role="alert">
        <p>{error.message}</p>
        <p>{t('patients.loadFailed')}</p>
      </div>
    );
  }
  if (loading) {
    return (
      <p class="muted" role="status">
        {t('app.loading')}
      </p>
    );
  }
  return null;
}

// A number typed into a field, or undefined when left empty (the API reads an absent optional field as not given).
export function numberOrUndefined(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}

// A form's sending: the API's refusal, whether it is busy, and run(action) that sends and, when the API accepts,
// calls onSaved; it answers whether the API accepted.
export function useSubmit(onSaved: () => void = () => undefined): {
  refusal: Refusal;
  busy: boolean;
  run: (action: () => Promise<unknown>) => Promise<boolean>;
} {
  const [refusal, setRefusal] = useState<Refusal>(null);
  const [busy, setBusy] = useState(false);
  const run = async (action: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setRefusal(null);
    try {
      await action();
      onSaved();
      return true;
    } catch (cause) {
      setRefusal(asApiError(cause));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { refusal, busy, run };
}
