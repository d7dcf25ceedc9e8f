/** A button that asks first, in an accessible dialog (Radix AlertDialog: focus kept inside, Escape cancels, focus returned). */
import { AlertDialog } from 'radix-ui';
import type { ReactNode } from 'react';

interface Props {
  /** The button's words, and the dialog's confirming action. */
  label: string;
  title: string;
  description: ReactNode;
  confirmLabel?: string;
  onConfirm: () => void;
  disabled?: boolean;
  tone?: 'danger' | 'plain';
  small?: boolean;
  /** Words for screen readers after the label, naming what it acts on ("Remove" → "Remove ada@example.com"). */
  hiddenSuffix?: string;
}

export function ConfirmButton({ label, title, description, confirmLabel = label, onConfirm, disabled, tone = 'danger', small = false, hiddenSuffix }: Props) {
  return (
    <AlertDialog.Root>
      <AlertDialog.Trigger className={`button ${tone === 'danger' ? 'danger' : ''} ${small ? 'small' : ''}`} disabled={disabled}>
        {label}
        {hiddenSuffix ? <span className="visually-hidden"> {hiddenSuffix}</span> : null}
      </AlertDialog.Trigger>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="dialog-overlay" />
        <AlertDialog.Content className="dialog">
          <AlertDialog.Title asChild>
            <h2>{title}</h2>
          </AlertDialog.Title>
          <AlertDialog.Description asChild>
            <p>{description}</p>
          </AlertDialog.Description>
          <div className="dialog-actions">
            <AlertDialog.Cancel className="button">Keep it</AlertDialog.Cancel>
            <AlertDialog.Action className={`button ${tone === 'danger' ? 'danger' : 'primary'}`} onClick={onConfirm}>
              {confirmLabel}
            </AlertDialog.Action>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
