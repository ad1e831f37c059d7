// A modal dialog (the native <dialog> with showModal: focus moves into it, stays there, and Escape closes it), and
// the confirmation every irreversible admin action asks for first.
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { t } from '../../i18n';

interface ModalProps {
  readonly id: string;
  readonly title: string;
  readonly onClose: () => void;
  readonly children?: ComponentChildren;
}

// Shown while mounted: the caller renders it to open it and stops rendering it to close it. Escape and the
// dialog's own buttons call onClose; focus returns to the control that opened it, while it is still there.
export function Modal({ id, title, onClose, children }: ModalProps): JSX.Element {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => {
      if (element?.open) element.close();
      // The opener may be gone (the action it started removed it): the screen then places focus itself.
      if (opener?.isConnected) opener.focus();
    };
  }, []);
  return (
    <dialog
      ref={dialog}
      class="admin-dialog"
      aria-labelledby={`${id}-title`}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
    </dialog>
  );
}

interface ConfirmProps {
  readonly id: string;
  readonly title: string;
  // What will happen, in words: the consequences a person must know before saying yes.
  readonly body: ComponentChildren;
  readonly confirmLabel: string;
  readonly busy: boolean;
  // The API's refusal of the action, shown in the dialog so the person sees why nothing happened.
  readonly refusal?: string;
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
}

export function Confirm({ id, title, body, confirmLabel, busy, refusal, onConfirm, onCancel }: ConfirmProps): JSX.Element {
  return (
    <Modal id={id} title={title} onClose={onCancel}>
      <div class="admin-dialog-body">{body}</div>
      {refusal ? (
        <p class="notice notice-error" role="alert">
          {refusal}
        </p>
      ) : null}
      <div class="form-actions">
        <button type="button" class="button-danger" disabled={busy} onClick={onConfirm}>
          {confirmLabel}
        </button>
        <button type="button" class="button-quiet" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </Modal>
  );
}
