/** Approve a contributor's waiting post, or reject it with a note the contributor reads; the API's notice says where it went. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { herald } from '../../api/client';
import { call } from '../../api/call';
import { fieldMessages, problemOf } from '../../api/problem';
import type { PostView } from '../../api/views';
import { ProblemAlert } from '../../ui/problem-alert';
import { FieldErrors } from '../../ui/field';

/** `onDecided` hears what was decided in words (with the API's notice): the post leaves the waiting list, so the page says it. */
export function ReviewPost({ post, onDecided }: { post: PostView; onDecided: (words: string) => void }) {
  const queryClient = useQueryClient();
  const noteId = useId();
  const [note, setNote] = useState('');
  const settle = async (saved: PostView) => {
    queryClient.setQueryData(['posts', post.id], saved);
    await queryClient.invalidateQueries({ queryKey: ['posts'] });
  };
  const excerpt = `“${post.text.length > 40 ? `${post.text.slice(0, 40)}…` : post.text}”`;
  const approve = useMutation({
    mutationFn: () => call(herald.POST('/v1/posts/{id}/approve', { params: { path: { id: post.id } } })),
    onSuccess: async (saved) => {
      onDecided(`Approved ${excerpt}. ${saved.notice ?? 'It is scheduled as asked.'}`);
      await settle(saved);
    },
  });
  const reject = useMutation({
    mutationFn: () => call(herald.POST('/v1/posts/{id}/reject', { params: { path: { id: post.id } }, body: { note } })),
    onSuccess: async (saved) => {
      onDecided(`Rejected ${excerpt}: it is a draft again, with your note.`);
      await settle(saved);
    },
  });
  const problem = reject.error ? problemOf(reject.error) : undefined;
  const submitRejection = (event: FormEvent) => {
    event.preventDefault();
    reject.mutate();
  };
  return (
    <div className="review stack">
      {approve.error ? <ProblemAlert problem={problemOf(approve.error)} /> : null}
      <button type="button" className="button primary" onClick={() => approve.mutate()} disabled={approve.isPending}>
        Approve<span className="visually-hidden"> “{post.text.slice(0, 40)}”</span>
      </button>
      <form onSubmit={submitRejection} className="stack">
        <div className="field">
          <label htmlFor={noteId}>Or reject it, saying why (the writer reads this)</label>
          <textarea id={noteId} rows={2} value={note} onChange={(event) => setNote(event.target.value)} aria-invalid={fieldMessages(problem, 'note').length > 0 ? true : undefined} />
          <FieldErrors messages={fieldMessages(problem, 'note')} />
        </div>
        <ProblemAlert problem={problem} shownAt={['note']} />
        <button type="submit" className="button danger" disabled={reject.isPending}>
          Reject with this note
        </button>
      </form>
    </div>
  );
}
