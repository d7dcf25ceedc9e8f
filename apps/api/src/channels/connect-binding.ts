/**
 * What keeps a connect flow to the one who started it (PRODUCT.md section
 * 15). The browser is sent back only to the web app (HERALD_PUBLIC_URL) or
 * to an origin the workspace allowed (`allowedRedirectOrigins`), checked
 * when the flow starts (422) and again at its callback. A flow a person
 * started is finished only by the browser session that started it (the
 * callback is a top-level navigation, which carries the SameSite=Lax session
 * cookie); one an API key started, only while that key is live (a program
 * cannot hand its key to the browser: the key is what it is bound to), and
 * while the starter may still manage channels. A state that was used, has
 * expired, or is refused here sends the browser to Herald's own page
 * (`/channels/connected?error=`), never to the flow's redirectUri.
 */
import { Inject, Injectable } from '@nestjs/common';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import { ApiKeysRepository, LiveSession, MembersRepository, OAuthFlow, Tenant, WorkspacesRepository } from '@herald/db';
import { AccessService, AuthContext, actionsOf } from '../access';
import { UnprocessableRequest } from '../common/problems';

/** The web app's page that says how a connect flow ended. */
export const CONNECT_PAGE = '/channels/connected';

/** Why a callback is refused before its state is used. */
export type BindingRefusal = 'not_your_connection' | 'access_ended' | 'state_unbound' | 'redirect_not_allowed';

@Injectable()
export class ConnectBinding {
  constructor(
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
    private readonly workspaces: WorkspacesRepository,
    private readonly members: MembersRepository,
    private readonly apiKeys: ApiKeysRepository,
    private readonly access: AccessService,
  ) {}

  /** The origins a flow of the workspace may send the browser back to: the web app's own, and those the workspace allowed. */
  async allowedOrigins(tenant: Tenant): Promise<string[]> {
    const workspace = await this.workspaces.find(tenant);
    return [new URL(this.config.publicUrl).origin, ...(workspace?.allowedRedirectOrigins ?? [])];
  }

  /** 422 unless `redirectUri` is on an allowed origin. */
  async checkRedirect(tenant: Tenant, redirectUri: string): Promise<void> {
    const allowed = await this.allowedOrigins(tenant);
    if (allowed.includes(new URL(redirectUri).origin)) return;
    throw new UnprocessableRequest(
      `redirectUri must be on the web app's origin (${allowed[0]}) or one this workspace allowed (PATCH /v1/workspace {allowedRedirectOrigins}): ${new URL(redirectUri).origin} is neither`,
      [{ path: 'redirectUri', message: `is not on an allowed origin (${allowed.join(', ')})` }],
    );
  }

  /** Why the callback of `flow`, arriving with `session` (or none), may not finish it; undefined when it may. */
  async refusal(flow: OAuthFlow, session: LiveSession | undefined): Promise<BindingRefusal | undefined> {
    const tenant = this.access.flowTenant(flow.workspaceId);
    if (!flow.startedBy) return 'state_unbound';
    let role: string | undefined;
    if (flow.startedBy.kind === 'user') {
      // A flow started before sessions were recorded has none: no browser can prove it is the starter's.
      if (!flow.startedSessionId) return 'state_unbound';
      if (!session || session.id !== flow.startedSessionId || session.userId !== flow.startedBy.id) return 'not_your_connection';
      role = await this.members.roleOf(tenant, flow.startedBy.id);
    } else if (flow.startedBy.kind === 'api_key') {
      role = await this.apiKeys.liveRole(tenant, flow.startedBy.id);
    } else {
      return 'state_unbound';
    }
    if (!role || !actionsOf(role).includes('channels.manage')) return 'access_ended';
    if (!(await this.allowedOrigins(tenant)).includes(new URL(flow.redirectUri).origin)) return 'redirect_not_allowed';
    return undefined;
  }

  /** Whether the request is the one that started the flow: the same key, or the same person in the same session. */
  startedBy(flow: OAuthFlow, auth: AuthContext): boolean {
    if (!flow.startedBy || flow.startedBy.kind !== auth.actor.kind || flow.startedBy.id !== auth.actor.id) return false;
    return auth.actor.kind !== 'user' || (flow.startedSessionId !== null && flow.startedSessionId === auth.sessionId);
  }

  /** Herald's own page, saying how the flow ended. */
  heraldPage(params: Record<string, string>): string {
    const url = new URL(`${this.config.publicUrl}${CONNECT_PAGE}`);
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    return url.toString();
  }
}
