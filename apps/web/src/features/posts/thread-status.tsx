/**
 * A thread's parts and its first comment on a post's page: the content in
 * order, and per channel where each piece stands (its status, the network's
 * link, why it failed), from the delivery's `parts` and `firstComment`.
 */
import type { DeliveryView } from '../../api/views';
import { StatusBadge } from '../../ui/status';
import { NETWORK_NAMES } from '../channels/api';
import { errorWords } from './plain-words';

type Piece = NonNullable<DeliveryView['firstComment']>;

/** Each part's and the first comment's standing on one channel; nothing for a post of one part without a comment. */
export function PieceStatuses({ delivery, name }: { delivery: DeliveryView; name: string }) {
  const parts = delivery.parts ?? [];
  if (parts.length < 2 && !delivery.firstComment) return null;
  return (
    <ul className="piece-statuses" aria-label={`Each part on ${name}`}>
      {parts.length >= 2
        ? parts.map((part) => <PieceRow key={part.index} label={`Part ${part.index + 1} of ${parts.length}`} piece={part} network={delivery.network} part={part.index} />)
        : null}
      {delivery.firstComment ? <PieceRow label="First comment" piece={delivery.firstComment} network={delivery.network} part="comment" /> : null}
    </ul>
  );
}

function PieceRow({ label, piece, network, part }: { label: string; piece: Piece; network: DeliveryView['network']; part: number | 'comment' }) {
  // PRODUCT.md names `lastError` on the delivery only: a piece's is read where the API gives it.
  const lastError = (piece as { lastError?: { code: string; message: string | null } | null }).lastError;
  return (
    <li className="piece-status" data-part={part} data-status={piece.status}>
      <span className="piece-status-name">{label}</span>
      <StatusBadge status={piece.status} />
      {piece.externalUrl ? (
        <a href={piece.externalUrl} target="_blank" rel="noreferrer noopener">
          View {label.toLowerCase()} on {NETWORK_NAMES[network]}
        </a>
      ) : null}
      {lastError && piece.status !== 'published' ? (
        <p className="piece-status-error">
          {errorWords(lastError.code) ?? 'The network refused it.'}
          {lastError.message ? ` The network said: “${lastError.message}”` : ''}
        </p>
      ) : null}
    </li>
  );
}
