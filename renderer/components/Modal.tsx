/**
 * A modal dialog on the native <dialog> element (focus kept inside, Escape closes), used to confirm what
 * cannot be undone and for About.
 */
import { useEffect, useRef, type ReactNode } from 'react';

/** The dialog's props. */
export interface ModalProps {
  title: string;
  children: ReactNode;
  /** The confirming button; omitted for a dialog that only informs. */
  confirmLabel?: string;
  cancelLabel?: string;
  danger?: boolean;
  onConfirm?: () => void;
  onClose: () => void;
}

/** A modal dialog, open while mounted. */
export function Modal(props: ModalProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const el = dialog.current;
    if (!el) return;
    if (!el.open) el.showModal();
    // The safe choice has the focus, so Enter never deletes by accident.
    cancel.current?.focus();
    return () => {
      if (el.open) el.close();
    };
  }, []);
  return (
    <dialog
      ref={dialog}
      className="modal"
      aria-labelledby="modal-title"
      data-testid="modal"
      onCancel={(event) => {
        event.preventDefault();
        props.onClose();
      }}
    >
      <h2 id="modal-title">{props.title}</h2>
      <div className="modal-body">{props.children}</div>
      <div className="modal-actions">
        <button ref={cancel} type="button" className="button" onClick={props.onClose} data-testid="modal-cancel">
          {props.cancelLabel ?? (props.onConfirm ? 'Cancel' : 'Close')}
        </button>
        {props.onConfirm && (
          <button type="button" className={`button ${props.danger ? 'danger' : 'primary'}`} onClick={props.onConfirm} data-testid="modal-confirm">
            {props.confirmLabel ?? 'OK'}
          </button>
        )}
      </div>
    </dialog>
  );
}
