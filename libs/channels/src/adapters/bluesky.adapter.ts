/** Bluesky (AT Protocol): a `app.bsky.feed.post` record via `createRecord`; lookups list the repo's records. */
import { LookupRequest, PublishRequest, PublishedPost } from '../adapter';
import { NetworkError } from '../errors';
import { BaseAdapter, findByText } from './base-adapter';
import { HttpReply, classifyAnswer, field, list } from './http';

export class BlueskyAdapter extends BaseAdapter {
  readonly network = 'bluesky' as const;

  async publish({ credentials, content }: PublishRequest): Promise<PublishedPost> {
    const record = {
      $type: 'app.bsky.feed.post',
      text: content.text,
      createdAt: new Date().toISOString(),
      ...(content.media.length > 0
        ? { embed: { $type: 'app.bsky.embed.images', images: content.media.map((item) => ({ image: { url: item.url }, alt: item.alt ?? '' })) } }
        : {}),
    };
    const reply = await this.send({
      method: 'POST',
      path: '/xrpc/com.atproto.repo.createRecord',
      token: credentials.accessToken,
      body: { repo: credentials.handle, collection: 'app.bsky.feed.post', record },
    });
    const uri = field(reply.body, 'uri');
    if (!uri) throw new NetworkError('transient', 'bad_answer', 'Bluesky answered without a record uri', { ambiguous: true });
    return this.toPublished(credentials.handle, uri);
  }

  async lookup({ credentials, content, since }: LookupRequest): Promise<PublishedPost | null> {
    const reply = await this.send({
      method: 'GET',
      path: '/xrpc/com.atproto.repo.listRecords',
      token: credentials.accessToken,
      query: { repo: credentials.handle, collection: 'app.bsky.feed.post', limit: '100' },
    });
    const found = findByText(list(reply.body, 'records'), content.text, since, (record) => ({
      text: field(record, 'value', 'text'),
      createdAt: field(record, 'value', 'createdAt'),
    }));
    const uri = found ? field(found, 'uri') : undefined;
    return uri ? this.toPublished(credentials.handle, uri) : null;
  }

  protected toError(reply: HttpReply): NetworkError {
    const error = field(reply.body, 'error') ?? '';
    const reason = field(reply.body, 'message') ?? error;
    return classifyAnswer(reply, reason, ['ExpiredToken', 'InvalidToken', 'AuthenticationRequired'].includes(error));
  }

  private toPublished(handle: string, uri: string): PublishedPost {
    const rkey = uri.split('/').pop() ?? uri;
    return { externalId: uri, externalUrl: `https://bsky.app/profile/${encodeURIComponent(handle)}/post/${rkey}` };
  }
}
