/**
 * Pinterest pins (API v5 `POST /v5/pins`): one image, sent as base64 in the
 * pin's `media_source`, on the board the post chose (`networkOptions.pinterest.boardId`)
 * or the channel's; the post's text is the pin's description, its title the
 * one chosen, its link the one chosen or the text's first, the image's alt
 * text the pin's. Pinterest takes no idempotency key: after a crash the board's
 * pins (`GET /v5/boards/{id}/pins`, newest first) are read since the claim.
 */
import { CallContext, DeleteOutcome, DeleteRequest, LookupRequest, PublishRequest, PublishedPost } from '../../adapter';
import { BaseAdapter, epochMs } from '../../base-adapter';
import { ContentViolation, PostContent } from '../../content';
import { NetworkError } from '../../errors';
import { HttpReply, field, list } from '../../http/http';
import { NetworkClient } from '../../http/network-client';
import { AccountFigures, accountFigures, count } from '../../metrics';
import { pinterestError } from './pinterest.errors';
import { PinterestOptions } from './pinterest.options';

const PAGE_SIZE = 100;
const FIRST_LINK = /https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]'"]/u;

export class PinterestAdapter extends BaseAdapter {
  readonly network = 'pinterest' as const;

  constructor(
    options: ConstructorParameters<typeof BaseAdapter>[0],
    private readonly apiUrl: string,
  ) {
    super(options);
  }

  /** Beside the rules: a chosen board must be one of the channel's (those connecting found), else Pinterest would answer "Board not found" at publish time. */
  override validate(content: PostContent, details: Record<string, unknown> = {}): ContentViolation[] {
    const violations = super.validate(content, details);
    const chosen = optionsOf(content).boardId;
    const boards = boardsOf(details);
    if (chosen !== undefined && boards && !boards.some((board) => board.id === chosen)) {
      const names = boards.map((board) => `"${board.name}"`).join(', ');
      violations.push({ code: 'board_unknown', field: 'boardId', message: `The board ${chosen} is not one of this Pinterest channel's boards (${names || 'none'})` });
    }
    return violations;
  }

  /** `DELETE /v5/pins/{pin_id}` (204); Pinterest's 404 `Pin not found.` is a pin that is not there. */
  delete(request: DeleteRequest): Promise<DeleteOutcome> {
    return this.deleting(() => this.api(request).delete(`/v5/pins/${encodeURIComponent(request.externalId)}`));
  }

  async publish(request: PublishRequest): Promise<PublishedPost> {
    const image = request.content.media[0];
    if (!image || image.type !== 'image') throw new NetworkError('rejected', 'media_required', 'A pin needs one image');
    const options = optionsOf(request.content);
    const link = options.link ?? FIRST_LINK.exec(request.content.text)?.[0];
    const reply = await this.api(request).post('/v5/pins', {
      board_id: options.boardId ?? boardOf(request),
      ...(options.title ? { title: options.title } : {}),
      description: request.content.text,
      ...(link ? { link } : {}),
      ...(image.alt ? { alt_text: image.alt } : {}),
      media_source: { source_type: 'image_base64', content_type: image.mimeType, data: (await image.read()).toString('base64') },
    });
    const id = field(reply.body, 'id');
    if (!id) throw new NetworkError('transient', 'bad_answer', 'Pinterest answered POST /v5/pins without the pin id', { ambiguous: true });
    return toPublished(id);
  }

  /** `GET /v5/user_account` (`user_accounts:read`): `follower_count`, `following_count`, `pin_count`; `monthly_views` under extra. */
  async readAccount(context: CallContext): Promise<AccountFigures> {
    const me = (await this.api(context).get('/v5/user_account')).body as Record<string, unknown> | undefined;
    return accountFigures({ followers: count(me?.follower_count), following: count(me?.following_count), posts: count(me?.pin_count), extra: { monthly_views: count(me?.monthly_views) } });
  }

  async lookup(request: LookupRequest): Promise<PublishedPost | null> {
    const api = this.api(request);
    // The board the pin went to: the post's own choice, else the channel's.
    const board = optionsOf(request.content).boardId ?? boardOf(request);
    const found = await this.findInTimeline(request, async (cursor) => {
      const reply = await api.get(`/v5/boards/${encodeURIComponent(board)}/pins`, { page_size: String(PAGE_SIZE), ...(cursor ? { bookmark: cursor } : {}) });
      return {
        posts: list(reply.body, 'items').map((pin) => ({ id: field(pin, 'id') ?? '', text: field(pin, 'description'), createdAt: epochMs(field(pin, 'created_at')) })),
        next: field(reply.body, 'bookmark') ?? undefined,
      };
    });
    return found ? toPublished(found.id) : null;
  }

  protected toError(reply: HttpReply): NetworkError {
    return pinterestError(reply);
  }

  private api(context: CallContext): NetworkClient {
    return this.client(this.apiUrl, context);
  }
}

/** The board the channel pins to: the one chosen, else the first connecting found. */
function boardOf(context: CallContext): string {
  const board = context.details?.boardId;
  if (typeof board !== 'string' || board === '') throw new NetworkError('rejected', 'no_board', 'This Pinterest channel has no board: connect it again');
  return board;
}

/** The boards connecting found (`details.boards`), if it kept them. */
function boardsOf(details: Record<string, unknown>): Array<{ id: string; name: string }> | undefined {
  if (!Array.isArray(details.boards)) return undefined;
  return details.boards.flatMap((board: unknown) => {
    const { id, name } = (board ?? {}) as { id?: unknown; name?: unknown };
    return typeof id === 'string' ? [{ id, name: typeof name === 'string' ? name : id }] : [];
  });
}

/** The post's `networkOptions.pinterest` (the API checked their shape against the schema). */
function optionsOf(content: { options?: Record<string, unknown> }): PinterestOptions {
  return (content.options ?? {}) as PinterestOptions;
}

function toPublished(id: string): PublishedPost {
  return { externalId: id, externalUrl: `https://www.pinterest.com/pin/${id}/` };
}
