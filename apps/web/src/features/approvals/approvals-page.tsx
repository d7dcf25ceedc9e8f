/** What contributors wrote and waits for approval, oldest first: each with what it asks, to approve or reject here. */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from '@tanstack/react-router';
import { problemOf } from '../../api/problem';
import type { MediaView, PostView } from '../../api/views';
import { Page } from '../../ui/page';
import { ProblemAlert } from '../../ui/problem-alert';
import { useCan } from '../auth/session';
import { NETWORK_NAMES, channelsQuery } from '../channels/api';
import { ChannelBadge } from '../channels/channel-badge';
import type { Attachment } from '../compose/attachments';
import { Preview } from '../compose/preview';
import { postsQuery } from '../posts/api';
import { Decided, askedWords } from './asked';
import { ReviewPost } from './review';

export function ApprovalsPage() {
  const waiting = useQuery(postsQuery({ status: 'pending_approval' }));
  const channels = useQuery(channelsQuery);
  const canApprove = useCan('posts.approve');
  const posts = [...(waiting.data ?? [])].reverse();
  const [decided, setDecided] = useState('');
  return (
    <Page title="Approvals">
      <Decided words={decided} />
      {waiting.isError ? <ProblemAlert problem={problemOf(waiting.error)} /> : null}
      {waiting.isSuccess && posts.length === 0 ? <p className="muted">Nothing waits for approval.</p> : null}
      <ul className="plain">
        {posts.map((post) => (
          <li key={post.id} id={`approval-${post.id}`} className="card stack approval" data-post-id={post.id}>
            <div className="row spread">
              <p style={{ margin: 0 }}>
                <strong>By {post.createdBy?.name ?? 'someone'}</strong> <span className="muted">· asks {askedWords(post)}</span>
              </p>
              <Link to="/posts/$postId" params={{ postId: post.id }}>
                Open the post<span className="visually-hidden">: {post.text.slice(0, 40)}</span>
              </Link>
            </div>
            <p className="channel-names">
              {post.deliveries.map((delivery) => {
                const channel = channels.data?.find((entry) => entry.id === delivery.channelId);
                return channel ? <ChannelBadge key={delivery.id} channel={channel} compact /> : <span key={delivery.id}>{NETWORK_NAMES[delivery.network]}</span>;
              })}
            </p>
            {/* What each network will show, media and each part's own text there included: the approver judges the post, not just its text. */}
            <div className="approval-previews">
              {post.deliveries.map((delivery) => {
                const channel = channels.data?.find((entry) => entry.id === delivery.channelId);
                return channel ? (
                  <Preview
                    key={delivery.id}
                    channel={channel}
                    text={post.variants?.[channel.id] ?? post.text}
                    attachments={postAttachments(post)}
                    more={(post.parts ?? []).slice(1).map((part, index) => ({ key: `${post.id}-part-${index + 1}`, text: part.variants?.[channel.id] ?? part.text, attachments: mediaAttachments(`${post.id}-part-${index + 1}`, part.media) }))}
                    firstComment={post.firstComment?.text}
                  />
                ) : null;
              })}
            </div>
            {canApprove ? <ReviewPost post={post} onDecided={setDecided} /> : null}
          </li>
        ))}
      </ul>
    </Page>
  );
}

/** The post's files as compose's previews take them: images by their library thumbnail, videos by name. */
export function postAttachments(post: PostView): Attachment[] {
  return mediaAttachments(post.id, post.media);
}

/** Files of a post (or of one of its parts) as the previews take them. */
function mediaAttachments(prefix: string, media: PostView['media']): Attachment[] {
  return media.flatMap((item, index) =>
    item.mediaId
      ? [{ key: `${prefix}-${index}`, name: item.type === 'video' ? 'Video' : 'Image', previewUrl: null, alt: item.alt ?? '', status: 'ready' as const, media: { id: item.mediaId, thumbnailUrl: item.type === 'video' ? null : `/v1/media/${item.mediaId}/thumbnail` } as MediaView }]
      : [],
  );
}
