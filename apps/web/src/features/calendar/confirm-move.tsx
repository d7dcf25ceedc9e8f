/**
 * Asks before a queued post is moved to a time: that takes it out of its
 * channels' queue (the queue's other posts keep their slots), which is never
 * done silently. A modal <dialog>: focus stays in it, Escape cancels.
 */
import { useEffect, useRef } from 'react';

export function ConfirmMove({ open, words, onConfirm, onCancel }: { open: boolean; words: string; onConfirm: () => void; onCancel: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);
  return (
    <dialog ref={dialog} className="cal-dialog" aria-labelledby="confirm-move-title" onCancel={onCancel} onClose={() => open && onCancel()}>
      <h2 id="confirm-move-title">Take this post out of the queue?</h2>
      <p>{words}</p>
      <p>It holds a posting time of its channel’s queue. Moved to a time of its own, it leaves the queue; the other queued posts keep their times.</p>
      <div className="row wrap">
        <button type="button" className="button primary" onClick={onConfirm}>
          Move it out of the queue
        </button>
        <button type="button" className="button" onClick={onCancel} autoFocus>
          Keep it in the queue
        </button>
      </div>
    </dialog>
  );
}
