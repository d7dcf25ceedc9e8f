/** LinkedIn Posts API: `POST /rest/posts`, the post's URN comes back in `x-restli-id`. */
import { LookupRequest, PublishRequest, PublishedPost } from '../adapter';
import { NetworkError } from '../errors';
import { BaseAdapter, findByText } from './base-adapter';
import { HttpReply, classifyAnswer, field, list } from './http';

export class LinkedInAdapter extends BaseAdapter {
  readonly network = 'linkedin' as const;

  async publish({ credentials, content }: PublishRequest): Promise<PublishedPost> {
    const images = content.media.map((item) => ({ id: item.url, altText: item.alt ?? '' }));
    const reply = await this.send({
      method: 'POST',
      path: '/rest/posts',
      token: credentials.accessToken,
      headers: { 'linkedin-version': '202411', 'x-restli-protocol-version': '2.0.0' },
      body: {
        author: `urn:li:person:${credentials.handle}`,
        commentary: content.text,
        visibility: 'PUBLIC',
        distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] },
        lifecycleState: 'PUBLISHED',
        isReshareDisabledByAuthor: false,
        ...(images.length === 1 ? { content: { media: images[0] } } : images.length > 1 ? { content: { multiImage: { images } } } : {}),
      },
    });
    const urn = reply.headers.get('x-restli-id');
    if (!urn) throw new NetworkError('transient', 'bad_answer', 'LinkedIn answered without x-restli-id', { ambiguous: true });
    return this.toPublished(urn);
  }

  async lookup({ credentials, content, since }: LookupRequest): Promise<PublishedPost | null> {
    const reply = await this.send({
      method: 'GET',
      path: '/rest/posts',
      token: credentials.accessToken,
      query: { q: 'author', author: `urn:li:person:${credentials.handle}`, count: '100' },
    });
    const found = findByText(list(reply.body, 'elements'), content.text, since, (post) => ({
      text: field(post, 'commentary'),
      createdAt: Number(field(post, 'createdAt')),
    }));
    const urn = found ? field(found, 'id') : undefined;
    return urn ? this.toPublished(urn) : null;
  }

  protected toError(reply: HttpReply): NetworkError {
    const reason = field(reply.body, 'message') ?? '';
    return classifyAnswer(reply, reason, field(reply.body, 'serviceErrorCode') === '65600');
  }

  private toPublished(urn: string): PublishedPost {
    return { externalId: urn, externalUrl: `https://www.linkedin.com/feed/update/${urn}/` };
  }
}
