/**
 * A channel's queue in slot order. Reorder by dragging (pointer or touch), by
 * keyboard (focus a post's handle, Space to lift, arrows to move, Space to
 * drop: dnd-kit's keyboard sensor), or with each post's Move up and Move down
 * buttons; or shuffle. The API gives the queued posts the slots in the new order.
 */
import { DndContext, KeyboardSensor, PointerSensor, closestCenter, useSensor, useSensors, type DragEndEvent } from '@dnd-kit/core';
import { SortableContext, arrayMove, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { herald } from '../../api/client';
import { call } from '../../api/call';
import { problemOf } from '../../api/problem';
import type { Page, QueueEntry } from '../../api/views';
import { ProblemAlert } from '../../ui/problem-alert';
import { usePerson } from '../../ui/person';
import { Time, formatDateTime, zoneName } from '../../ui/time';
import { queueQuery } from './api';

export function QueueList({ channelId, canEdit, timezone }: { channelId: string; canEdit: boolean; timezone?: string }) {
  const queryClient = useQueryClient();
  const queue = useQuery(queueQuery(channelId));
  const entries = queue.data ?? [];
  const key = queueQuery(channelId).queryKey;
  const settle = (page: Page<QueueEntry>) => {
    queryClient.setQueryData(key, page.data);
    void queryClient.invalidateQueries({ queryKey: ['posts'] });
  };
  const reorder = useMutation({
    mutationFn: (deliveryIds: string[]) => call(herald.POST('/v1/channels/{id}/queue/reorder', { params: { path: { id: channelId } }, body: { deliveryIds } })),
    onMutate: (deliveryIds) => {
      // Shown in the new order at once; the answer brings each post's new time.
      const previous = queryClient.getQueryData<QueueEntry[]>(key);
      if (previous) queryClient.setQueryData(key, deliveryIds.map((id) => previous.find((entry) => entry.deliveryId === id)!).filter(Boolean));
      return { previous };
    },
    onError: (_error, _ids, context) => {
      if (context?.previous) queryClient.setQueryData(key, context.previous);
      void queryClient.invalidateQueries({ queryKey: key });
    },
    onSuccess: settle,
  });
  const shuffle = useMutation({
    mutationFn: () => call(herald.POST('/v1/channels/{id}/queue/shuffle', { params: { path: { id: channelId } } })),
    onSuccess: settle,
  });
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 4 } }), useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }));
  const ids = entries.map((entry) => entry.deliveryId);
  const move = (from: number, to: number) => {
    if (to < 0 || to >= ids.length || from === to) return;
    reorder.mutate(arrayMove(ids, from, to));
  };
  const dropped = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    move(ids.indexOf(String(active.id)), ids.indexOf(String(over.id)));
  };
  const error = reorder.error ?? shuffle.error ?? queue.error;
  return (
    <section className="card stack" aria-labelledby="queue-heading">
      <div className="row spread">
        <h2 id="queue-heading">Queue</h2>
        {canEdit && entries.length > 1 ? (
          <button type="button" className="button" onClick={() => shuffle.mutate()} disabled={shuffle.isPending}>
            Shuffle the queue
          </button>
        ) : null}
      </div>
      {error ? <ProblemAlert problem={problemOf(error)} /> : null}
      {queue.isSuccess && entries.length === 0 ? <p className="muted">Nothing queued. Posts added to the queue take this channel's next free posting time.</p> : null}
      {canEdit && entries.length > 1 ? (
        <p className="muted" id="queue-help">
          Drag a post by its handle, or focus the handle and press Space, move with the arrow keys and press Space again; or use Move up and Move down.
        </p>
      ) : null}
      <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={dropped}>
        <SortableContext items={ids} strategy={verticalListSortingStrategy}>
          <ol className="queue" aria-label="Queued posts, in the order they go out">
            {entries.map((entry, index) => (
              <QueueItem key={entry.deliveryId} entry={entry} index={index} count={entries.length} canEdit={canEdit} move={move} timezone={timezone} />
            ))}
          </ol>
        </SortableContext>
      </DndContext>
    </section>
  );
}

function QueueItem({ entry, index, count, canEdit, move, timezone }: { entry: QueueEntry; index: number; count: number; canEdit: boolean; move: (from: number, to: number) => void; timezone?: string }) {
  const person = usePerson();
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id: entry.deliveryId, disabled: !canEdit });
  const excerpt = entry.text.length > 80 ? `${entry.text.slice(0, 80)}…` : entry.text;
  return (
    <li ref={setNodeRef} className={`queue-item ${isDragging ? 'dragging' : ''}`} style={{ transform: CSS.Transform.toString(transform), transition }} data-delivery-id={entry.deliveryId}>
      {canEdit ? (
        <button type="button" className="drag-handle" ref={setActivatorNodeRef} {...attributes} {...listeners} aria-label={`Reorder post ${index + 1}: ${excerpt}`}>
          ⠿
        </button>
      ) : null}
      <div className="queue-body">
        <p className="queue-time">
          <span className="queue-position">{index + 1}.</span> <Time iso={entry.scheduledAt} />
          {/* The slot's own time where the channel posts in another zone than the person's: "09:00 New York time". */}
          {timezone && timezone !== person.timeZone && entry.scheduledAt ? (
            <span className="zone-note"> · {formatDateTime(entry.scheduledAt, timezone, person.locale, 'short')} {zoneName(timezone)} time</span>
          ) : null}
        </p>
        <Link to="/posts/$postId" params={{ postId: entry.postId }} className="queue-text">
          {excerpt || '(no text)'}
        </Link>
      </div>
      {canEdit ? (
        <div className="queue-moves">
          <button type="button" className="button small" disabled={index === 0} onClick={() => move(index, index - 1)} aria-label={`Move up: ${excerpt}`}>
            Move up
          </button>
          <button type="button" className="button small" disabled={index === count - 1} onClick={() => move(index, index + 1)} aria-label={`Move down: ${excerpt}`}>
            Move down
          </button>
        </div>
      ) : null}
    </li>
  );
}
