/**
 * The workspace's tags: a name (lower case, unique in the workspace) and a
 * colour the app draws them in. Posts carry tag names whether or not a tag
 * row exists; the list names both.
 */
import { Injectable } from '@nestjs/common';
import { Tag, TagsRepository } from '@herald/db';
import { AccessService, AuthContext } from '../access';
import { AuditLog } from '../audit';
import { Conflict, NotFound } from '../common/problems';
import { CreateTagDto, UpdateTagDto } from './dto';

export interface TagView {
  id: string | null;
  name: string;
  colour: string | null;
  createdAt: string | null;
}

@Injectable()
export class TagsService {
  constructor(
    private readonly tags: TagsRepository,
    private readonly access: AccessService,
    private readonly audit: AuditLog,
  ) {}

  async list(auth: AuthContext): Promise<{ data: TagView[] }> {
    return { data: (await this.tags.list(this.access.tenant(auth, 'posts.read'))).map(toView) };
  }

  async create(auth: AuthContext, input: CreateTagDto): Promise<TagView> {
    const tenant = this.access.tenant(auth, 'posts.write');
    const name = input.name.trim().toLowerCase();
    let tag: Tag;
    try {
      tag = await this.tags.insert(tenant, name, input.colour.toLowerCase());
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw new Conflict(`The workspace already has a tag "${name}"`);
      throw error;
    }
    await this.audit.recordAs(auth, 'tag.created', { type: 'tag', id: tag.id! }, { name });
    return toView(tag);
  }

  async update(auth: AuthContext, id: string, input: UpdateTagDto): Promise<TagView> {
    const tenant = this.access.tenant(auth, 'posts.write');
    const tag = await this.tags.recolour(tenant, id, input.colour.toLowerCase());
    if (!tag) throw new NotFound('Tag', id);
    await this.audit.recordAs(auth, 'tag.updated', { type: 'tag', id }, { colour: tag.colour });
    return toView(tag);
  }

  /** The tag's row goes (its colour); posts keep the name. */
  async remove(auth: AuthContext, id: string): Promise<void> {
    const tenant = this.access.tenant(auth, 'posts.write');
    if (!(await this.tags.remove(tenant, id))) throw new NotFound('Tag', id);
    await this.audit.recordAs(auth, 'tag.deleted', { type: 'tag', id });
  }
}

function toView(tag: Tag): TagView {
  return { id: tag.id, name: tag.name, colour: tag.colour, createdAt: tag.createdAt?.toISOString() ?? null };
}
