/**
 * `oauth_flows`: the connect flows in progress. A flow is found by its state
 * (the callback carries nothing else: no API key), used once, for ten
 * minutes, and names the workspace it connects for.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SystemScope, Tenant } from '../access/scope';
import { Statement } from '../statements/prepared';
import { Executor, Repository } from './repository';

const COLUMNS = 'state, workspace_id, network, instance_url, redirect_uri, code_verifier, pending_accounts, expires_at, used_at, started_by_kind, started_by_id, started_session_id';

export const OAUTH_FLOWS_SQL = {
  insert: new Statement(
    `INSERT INTO oauth_flows (state, workspace_id, network, instance_url, redirect_uri, code_verifier, expires_at, started_by_kind, started_by_id, started_session_id)
     VALUES ($2, $1, $3, $4, $5, $6, now() + make_interval(secs => $7), $8, $9, $10) RETURNING expires_at`,
  ),
  /** Uses up a flow ($1) that is unused and unexpired; answers it. */
  consume: new Statement(`UPDATE oauth_flows SET used_at = now() WHERE state = $1 AND used_at IS NULL AND expires_at > now() RETURNING ${COLUMNS}`),
  /** Why a flow could not be used: it is unknown, used, or expired. */
  find: new Statement(`SELECT ${COLUMNS}, expires_at <= now() AS expired FROM oauth_flows WHERE state = $1`),
  /** The accounts a person may pick from (encrypted JSON), on a flow already used for its code; the pick has ten minutes more. */
  setPending: new Statement(`UPDATE oauth_flows SET pending_accounts = $2, expires_at = now() + make_interval(secs => $3) WHERE state = $1`),
  /** Takes the pending accounts of the workspace's flow ($2) once. */
  takePending: new Statement(
    `UPDATE oauth_flows SET pending_accounts = NULL WHERE workspace_id = $1 AND state = $2 AND pending_accounts IS NOT NULL AND expires_at > now()
     RETURNING ${COLUMNS}`,
  ),
  peekPending: new Statement(`SELECT ${COLUMNS} FROM oauth_flows WHERE workspace_id = $1 AND state = $2 AND pending_accounts IS NOT NULL AND expires_at > now()`),
  /** Flows that ended more than a day ago. */
  prune: new Statement(`DELETE FROM oauth_flows WHERE expires_at < now() - interval '1 day'`),
};

export interface OAuthFlow {
  state: string;
  workspaceId: string;
  network: string;
  instanceUrl: string | null;
  redirectUri: string;
  /** Encrypted. */
  codeVerifier: string;
  /** Encrypted JSON, when the person has accounts to pick from. */
  pendingAccounts: string | null;
  expiresAt: Date;
  usedAt: Date | null;
  /** Who started the flow (an API key or a person): the channel it connects is recorded as theirs. */
  startedBy: { kind: string; id: string } | null;
  /** The session that started it, when a person did: only that browser may finish it. */
  startedSessionId: string | null;
}

interface FlowRow {
  state: string;
  workspace_id: string;
  network: string;
  instance_url: string | null;
  redirect_uri: string;
  code_verifier: string;
  pending_accounts: string | null;
  expires_at: Date;
  used_at: Date | null;
  started_by_kind: string | null;
  started_by_id: string | null;
  started_session_id: string | null;
  expired?: boolean;
}

@Injectable()
export class OAuthFlowsRepository extends Repository {
  constructor(@InjectDataSource() dataSource: DataSource) {
    super(dataSource);
  }

  /** A new flow of the workspace; answers when it lapses. */
  async insert(
    tenant: Tenant,
    flow: { state: string; network: string; instanceUrl?: string; redirectUri: string; codeVerifier: string; lifetimeMs: number; startedBy?: { kind: string; id: string }; startedSessionId?: string },
    on?: Executor,
  ): Promise<Date> {
    const row = await this.one<{ expires_at: Date }>(OAUTH_FLOWS_SQL.insert, [
      tenant.workspaceId,
      flow.state,
      flow.network,
      flow.instanceUrl ?? null,
      flow.redirectUri,
      flow.codeVerifier,
      flow.lifetimeMs / 1000,
      flow.startedBy?.kind ?? null,
      flow.startedBy?.id ?? null,
      flow.startedSessionId ?? null,
    ], on);
    return row!.expires_at;
  }

  /** The callback's flow, used up: undefined when it is unknown, used or expired (`find` says which). */
  async consume(_scope: SystemScope, state: string): Promise<OAuthFlow | undefined> {
    const row = await this.one<FlowRow>(OAUTH_FLOWS_SQL.consume, [state]);
    return row && toFlow(row);
  }

  async find(_scope: SystemScope, state: string): Promise<(OAuthFlow & { expired: boolean }) | undefined> {
    const row = await this.one<FlowRow>(OAUTH_FLOWS_SQL.find, [state]);
    return row && { ...toFlow(row), expired: row.expired ?? false };
  }

  async setPending(_scope: SystemScope, state: string, accounts: string, lifetimeMs: number): Promise<void> {
    await this.rows(OAUTH_FLOWS_SQL.setPending, [state, accounts, lifetimeMs / 1000]);
  }

  async takePending(tenant: Tenant, state: string, on?: Executor): Promise<OAuthFlow | undefined> {
    const row = await this.one<FlowRow>(OAUTH_FLOWS_SQL.takePending, [tenant.workspaceId, state], on);
    return row && toFlow(row);
  }

  async peekPending(tenant: Tenant, state: string, on?: Executor): Promise<OAuthFlow | undefined> {
    const row = await this.one<FlowRow>(OAUTH_FLOWS_SQL.peekPending, [tenant.workspaceId, state], on);
    return row && toFlow(row);
  }

  async prune(_scope: SystemScope): Promise<void> {
    await this.rows(OAUTH_FLOWS_SQL.prune, []);
  }
}

function toFlow(row: FlowRow): OAuthFlow {
  return {
    state: row.state,
    workspaceId: row.workspace_id,
    network: row.network,
    instanceUrl: row.instance_url,
    redirectUri: row.redirect_uri,
    codeVerifier: row.code_verifier,
    pendingAccounts: row.pending_accounts,
    expiresAt: row.expires_at,
    usedAt: row.used_at,
    startedBy: row.started_by_kind && row.started_by_id ? { kind: row.started_by_kind, id: row.started_by_id } : null,
    startedSessionId: row.started_session_id,
  };
}
