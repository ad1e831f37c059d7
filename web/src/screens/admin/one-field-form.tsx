// A form of one field and its button (a token's name, a new password): the API's refusal of that field shown at it,
// any other refusal above the form.
import type { JSX } from 'preact';
import { Field, fieldError, FormError, type Refusal } from '../patients/form';

interface OneFieldFormProps {
  readonly id: string;
  // The field as the API names it in a refusal (`name`, `password`).
  readonly field: string;
  readonly label: string;
  readonly hint: string;
  readonly type: 'text' | 'password';
  readonly autoComplete: string;
  readonly value: string;
  readonly onInput: (value: string) => void;
  readonly submitLabel: string;
  readonly refusal: Refusal;
  readonly busy: boolean;
  readonly onSubmit: () => void;
}

export function OneFieldForm(props: OneFieldFormProps): JSX.Element {
  return (
    <form
      class="inline-form"
      onSubmit={(event) => {
        event.preventDefault();
        props.onSubmit();
      }}
      noValidate
    >
      <FormError refusal={props.refusal} shownFields={[props.field]} />
      <Field id={props.id} label={props.label} hint={props.hint} error={fieldError(props.refusal, props.field)}>
        {(described) => (
          <input
            id={props.id}
            type={props.type}
            autoComplete={props.autoComplete}
            value={props.value}
            onInput={(event) => props.onInput(event.currentTarget.value)}
            {...described}
          />
        )}
      </Field>
      <button type="submit" class="button-primary" disabled={props.busy}>
        {props.submitLabel}
      </button>
    </form>
  );
}
