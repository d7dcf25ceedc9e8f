/** An audit event in plain words: who did what, from the event's action, actor and details. Pure. */
import type { Schemas } from '@herald/api-client';
import { shownHandle } from '../channels/handles';
import { networkName } from '../../ui/network-name';

export type AuditEvent = Schemas['AuditEvent'];


/** Who did it: a person's name, a key by its name, the operator or Herald itself. */
export function auditActor(event: AuditEvent): string {
  const { actor } = event;
  if (actor.kind === 'operator') return 'The operator';
  if (actor.kind === 'system') return 'Herald';
  if (actor.kind === 'api_key') return actor.name ? `The API key “${actor.name}”` : 'An API key';
  return actor.name ?? 'Someone who is no longer a member';
}

function text(details: Record<string, unknown>, key: string): string | undefined {
  const value = details[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function channel(details: Record<string, unknown>): string {
  const network = text(details, 'network');
  const handle = text(details, 'handle');
  const name = network ? networkName(network) : 'a channel';
  return handle && network ? `${name} ${shownHandle({ network, handle })}` : handle ? `${name} ${handle}` : name;
}

/** Why a key or an invitation was revoked with someone else's access: whose it was, and what happened to them. */
function withMaker(details: Record<string, unknown>): string {
  const maker = text(details, 'maker') ?? 'its maker';
  switch (text(details, 'reason')) {
    case 'maker_removed':
      return `, made by ${maker}, who was removed`;
    case 'maker_left':
      return `, made by ${maker}, who left`;
    case 'maker_demoted':
      return `, made by ${maker}, whose role no longer allows it`;
    default:
      return '';
  }
}

function origins(value: unknown): string {
  return Array.isArray(value) && value.length > 0 ? value.join(', ') : 'none';
}

/** What was done, as the rest of a sentence after who did it. */
export function auditWhat(event: AuditEvent): string {
  const details = event.details;
  const email = text(details, 'email') ?? 'someone';
  const role = text(details, 'role');
  const asRole = role ? ` as ${role}` : '';
  switch (event.action) {
    case 'member.signed_in':
      return 'signed in';
    case 'member.role_changed':
      return `changed ${email}’s role from ${text(details, 'from') ?? 'another'} to ${text(details, 'to') ?? 'another'}`;
    case 'member.removed':
      return `removed ${email}${role ? ` (${role})` : ''} from the workspace`;
    case 'member.left':
      return `left the workspace${role ? ` (was ${role})` : ''}`;
    case 'invitation.created':
      return `invited ${email}${asRole}`;
    case 'invitation.accepted':
      return `accepted the invitation for ${email}${asRole}${details.newAccount === true ? ', with a new account' : ''}`;
    case 'invitation.revoked':
      return text(details, 'replacedBy') ? `replaced the invitation for ${email} by a new one` : `revoked the invitation for ${email}${asRole}${withMaker(details)}`;
    case 'channel.connected':
      return `connected ${channel(details)}`;
    case 'channel.reconnected':
      return `reconnected ${channel(details)}`;
    case 'channel.removed':
      return `removed ${channel(details)}`;
    case 'channel.queue_reordered': {
      const queued = typeof details.queued === 'number' ? details.queued : 0;
      return `${details.shuffled === true ? 'shuffled' : 'reordered'} the queue of ${channel(details)} (${queued === 1 ? 'one post' : `${queued} posts`})`;
    }
    case 'api_key.created':
      return `made the API key “${text(details, 'name') ?? ''}”${role ? ` (${role})` : ''}`;
    case 'api_key.revoked':
      return `revoked the API key “${text(details, 'name') ?? ''}”${withMaker(details)}`;
    case 'post.approved':
      return 'approved a post';
    case 'post.unpublished': {
      const count = Array.isArray(details.channelIds) ? details.channelIds.length : 0;
      return `unpublished a post from ${count === 1 ? 'one channel' : `${count} channels`}`;
    }
    case 'post.rejected': {
      const note = text(details, 'note');
      return note ? `rejected a post: “${note}”` : 'rejected a post';
    }
    case 'workspace.updated': {
      const change = details.allowedRedirectOrigins as { to?: unknown } | undefined;
      return change ? `set the origins connect flows may return to: ${origins(change.to)}` : 'changed the workspace’s settings';
    }
    default:
      return String(event.action).replace(/[._]/g, ' ');
  }
}
