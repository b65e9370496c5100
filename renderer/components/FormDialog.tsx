/**
 * A modal dialog holding a form (sign in, publish, host): Enter submits, Escape closes, the first field has the
 * focus, and an error from main is shown inside the dialog, next to what the person typed, which is kept.
 */
import { useEffect, useRef, type FormEvent, type ReactNode } from 'react';

/** The dialog's props. */
export interface FormDialogProps {
  title: string;
  children: ReactNode;
  /** The submit button; omitted for a dialog whose actions are inside its body. */
  submitLabel?: string;
  /** True while the request runs: the submit button shows it and cannot be pressed twice. */
  busy?: boolean;
  busyLabel?: string;
  /** Why the last attempt failed, for a person. */
  error?: string | null;
  closeLabel?: string;
  onSubmit?: () => void;
  onClose: () => void;
  /** For tests and styling. */
  testId?: string;
  wide?: boolean;
}

/** A modal form, open while mounted. */
export function FormDialog(props: FormDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const el = dialog.current;
    if (!el) return;
    if (!el.open) el.showModal();
    // The first field still to fill (signing in again: the password), else the first field.
    const fields = [...el.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input:not([type=hidden]):not([disabled]), select')];
    (fields.find((f) => f instanceof HTMLInputElement && f.type !== 'radio' && f.value === '') ?? fields[0])?.focus();
    return () => {
      if (el.open) el.close();
    };
  }, []);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!props.busy) props.onSubmit?.();
  };
  return (
    <dialog
      ref={dialog}
      className={`modal form-dialog${props.wide ? ' wide' : ''}`}
      aria-labelledby="form-dialog-title"
      data-testid={props.testId ?? 'form-dialog'}
      onCancel={(event) => {
        event.preventDefault();
        props.onClose();
      }}
    >
      <form onSubmit={submit} noValidate>
        <h2 id="form-dialog-title">{props.title}</h2>
        <div className="modal-body">{props.children}</div>
        {props.error && (
          <p className="form-error" role="alert" data-testid="form-error">
            {props.error}
          </p>
        )}
        <div className="modal-actions">
          <button type="button" className="button" onClick={props.onClose} data-testid="dialog-close">
            {props.closeLabel ?? (props.onSubmit ? 'Cancel' : 'Close')}
          </button>
          {props.onSubmit && props.submitLabel && (
            <button type="submit" className="button primary" disabled={props.busy} aria-busy={props.busy} data-testid="dialog-submit">
              {props.busy ? (props.busyLabel ?? 'Working…') : props.submitLabel}
            </button>
          )}
        </div>
      </form>
    </dialog>
  );
}
