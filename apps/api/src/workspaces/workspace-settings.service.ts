/**
 * The caller's own workspace and its settings: for now the origins, besides
 * the web app's (HERALD_PUBLIC_URL), that a connect flow may send the
 * browser back to (`allowedRedirectOrigins`: a workspace whose own app
 * starts connect flows names its origin here). Any member reads it; owners
 * and admins change it, in the audit log.
 */
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import { Workspace, WorkspacesRepository, inTransaction } from '@herald/db';
import { AccessService, AuthContext } from '../access';
import { AuditLog } from '../audit';
import { NotFound, UnprocessableRequest } from '../common/problems';
import { isValidTimeZone } from '@herald/scheduling';
import { UpdateWorkspaceDto } from './dto';

export interface WorkspaceView {
  id: string;
  name: string;
  createdAt: string;
  /** IANA zone new channels take. */
  timezone: string;
  /** The web app's origin: a connect flow may always send the browser back there. */
  webAppOrigin: string;
  allowedRedirectOrigins: string[];
}

@Injectable()
export class WorkspaceSettingsService {
  constructor(
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly workspaces: WorkspacesRepository,
    private readonly access: AccessService,
    private readonly audit: AuditLog,
  ) {}

  async get(auth: AuthContext): Promise<WorkspaceView> {
    const workspace = await this.workspaces.find(auth.tenant);
    if (!workspace) throw new NotFound('Workspace', auth.tenant.workspaceId);
    return this.toView(workspace);
  }

  /** Changes the fields given (all checked first: nothing is written when one is wrong), each change in the audit log. */
  async update(auth: AuthContext, input: UpdateWorkspaceDto): Promise<WorkspaceView> {
    const tenant = this.access.tenant(auth, 'workspace.manage');
    const origins = input.allowedRedirectOrigins && [...new Set(input.allowedRedirectOrigins.map((value, index) => originOf(value, index)))];
    if (input.timezone !== undefined && !isValidTimeZone(input.timezone)) {
      throw new UnprocessableRequest(`"${input.timezone}" is not an IANA time zone`, [{ path: 'timezone', message: 'must be an IANA time zone such as Europe/Berlin' }]);
    }
    return inTransaction(this.dataSource, async (tx) => {
      let workspace = await this.workspaces.find(tenant, tx);
      if (!workspace) throw new NotFound('Workspace', tenant.workspaceId);
      const subject = { type: 'workspace', id: tenant.workspaceId };
      if (origins) {
        const changed = (await this.workspaces.setAllowedRedirectOrigins(tenant, origins, tx))!;
        workspace = changed.workspace;
        if (changed.previous.join(' ') !== origins.join(' ')) {
          await this.audit.recordAs(auth, 'workspace.updated', subject, { allowedRedirectOrigins: { from: changed.previous, to: origins } }, tx);
        }
      }
      if (input.timezone !== undefined) {
        const changed = (await this.workspaces.setTimezone(tenant, input.timezone, tx))!;
        workspace = changed.workspace;
        if (changed.previous !== input.timezone) await this.audit.recordAs(auth, 'workspace.updated', subject, { timezone: { from: changed.previous, to: input.timezone } }, tx);
      }
      return this.toView(workspace);
    });
  }

  private toView(workspace: Workspace): WorkspaceView {
    return {
      id: workspace.id,
      name: workspace.name,
      createdAt: workspace.createdAt.toISOString(),
      timezone: workspace.timezone,
      webAppOrigin: new URL(this.config.publicUrl).origin,
      allowedRedirectOrigins: workspace.allowedRedirectOrigins,
    };
  }
}

/** An origin as given (`https://app.example.com`, a trailing slash taken): scheme, host and port, nothing more. */
function originOf(value: string, index: number): string {
  const path = `allowedRedirectOrigins[${index}]`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UnprocessableRequest(`${value} is not a URL`, [{ path, message: 'must be an origin such as https://app.example.com' }]);
  }
  const bare = ['http:', 'https:'].includes(url.protocol) && url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password && !/[?#]$/.test(value);
  if (!bare) {
    throw new UnprocessableRequest(`${value} is not an http(s) origin: give the scheme, host and port only, such as https://app.example.com`, [
      { path, message: 'must be an http(s) origin, without a path, query or credentials' },
    ]);
  }
  return url.origin;
}
