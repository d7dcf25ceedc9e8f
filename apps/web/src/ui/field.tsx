/**
 * Form controls with their label, an optional hint and the API's messages for
 * the field, wired for assistive technology (aria-invalid, aria-describedby).
 */
import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';

interface FieldFrame {
  label: ReactNode;
  hint?: ReactNode;
  /** Messages for this field, from the API's problem or the shared rules. */
  errors?: string[];
}

function useFieldIds(errors: string[] | undefined, hint: ReactNode) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors && errors.length > 0 ? `${id}-error` : undefined;
  return { id, hintId, errorId, describedBy: [hintId, errorId].filter(Boolean).join(' ') || undefined };
}

function FieldText({ hint, hintId, errors, errorId }: { hint?: ReactNode; hintId?: string; errors?: string[]; errorId?: string }) {
  return (
    <>
      {hint ? (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {errorId ? <FieldErrors messages={errors!} id={errorId} /> : null}
    </>
  );
}

/** The API's (or the shared rules') messages for a field or a group of fields, as a list; nothing when there are none. */
export function FieldErrors({ messages, id }: { messages: string[]; id?: string }) {
  if (messages.length === 0) return null;
  return (
    <ul className="field-errors" id={id}>
      {messages.map((message) => (
        <li key={message}>{message}</li>
      ))}
    </ul>
  );
}

export function TextField({ label, hint, errors, className, ...input }: FieldFrame & InputHTMLAttributes<HTMLInputElement>) {
  const ids = useFieldIds(errors, hint);
  return (
    <div className={`field ${className ?? ''}`}>
      <label htmlFor={input.id ?? ids.id}>{label}</label>
      <input id={ids.id} aria-invalid={ids.errorId ? true : undefined} aria-describedby={ids.describedBy} {...input} />
      <FieldText hint={hint} hintId={ids.hintId} errors={errors} errorId={ids.errorId} />
    </div>
  );
}

export function TextAreaField({ label, hint, errors, className, after, ...textarea }: FieldFrame & TextareaHTMLAttributes<HTMLTextAreaElement> & { after?: ReactNode }) {
  const ids = useFieldIds(errors, hint);
  return (
    <div className={`field ${className ?? ''}`}>
      <label htmlFor={ids.id}>{label}</label>
      <textarea id={ids.id} aria-invalid={ids.errorId ? true : undefined} aria-describedby={ids.describedBy} {...textarea} />
      {after}
      <FieldText hint={hint} hintId={ids.hintId} errors={errors} errorId={ids.errorId} />
    </div>
  );
}

export function SelectField({ label, hint, errors, className, children, ...select }: FieldFrame & SelectHTMLAttributes<HTMLSelectElement>) {
  const ids = useFieldIds(errors, hint);
  return (
    <div className={`field ${className ?? ''}`}>
      <label htmlFor={ids.id}>{label}</label>
      <select id={ids.id} aria-invalid={ids.errorId ? true : undefined} aria-describedby={ids.describedBy} {...select}>
        {children}
      </select>
      <FieldText hint={hint} hintId={ids.hintId} errors={errors} errorId={ids.errorId} />
    </div>
  );
}
