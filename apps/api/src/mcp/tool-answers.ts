/**
 * A tool call's result from the API's answer: its JSON as structured
 * content; a problem as a tool error worded for an agent (what was
 * refused, which field, which limit, what to change), then the problem's
 * JSON as a second text.
 */
import { createHash } from 'node:crypto';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ApiAnswer } from './api-forwarder';
import { AgentTool } from './agent-tools';

interface ProblemLike {
  title?: string;
  status?: number;
  detail?: string;
  errors?: { path: string; message: string }[];
}

const NEXT_STEP: Record<number, string> = {
  400: 'Fix the arguments named above and call again.',
  401: 'The credentials were not accepted: the API key or token is unknown, revoked or expired.',
  403: 'The key or member this connection acts as may not do this: ask for a role that may, or leave it to a person.',
  404: 'Check the id: list_channels and list_posts give the ones this workspace has.',
  409: 'The post is busy or in a state that forbids this now: get_post shows its state; try again later if it is being published.',
  422: 'Change what the rule names (shorten the text, use a variant for that channel, pick another time or channel) and check it with validate_post before calling again.',
  429: 'Too many requests: wait a little and call again.',
};

export function toolResult(tool: AgentTool, answer: ApiAnswer): CallToolResult {
  if (answer.status < 400) {
    const body = answer.body;
    const structured = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : { data: body };
    return { content: [{ type: 'text', text: JSON.stringify(body) }], structuredContent: structured };
  }
  const problem = (answer.body ?? {}) as ProblemLike;
  const lines = [`${tool.name} was refused: ${answer.status} ${problem.title ?? ''}. ${problem.detail ?? ''}`.trim()];
  for (const error of problem.errors ?? []) lines.push(`- ${error.path}: ${error.message}`);
  const next = NEXT_STEP[answer.status] ?? (answer.status >= 500 ? 'Herald could not do it right now: try again in a few seconds.' : undefined);
  if (next) lines.push(next);
  // The problem goes as text, never as structured content: a client checks structured content against the tool's
  // output schema (the success answer's) even on an error, and the official one then throws the agent's answer away.
  return {
    isError: true,
    content: [
      { type: 'text', text: lines.join('\n') },
      { type: 'text', text: JSON.stringify(answer.body) },
    ],
  };
}

/**
 * The idempotency key of a creating call that brings none: made from who
 * calls, the call's JSON-RPC id and its arguments, so a client resending the
 * same call gets the first answer.
 */
export function derivedIdempotencyKey(actorId: string, requestId: string | number, args: Record<string, unknown>): string {
  return `mcp-${createHash('sha256').update(`${actorId}\n${String(requestId)}\n${JSON.stringify(args)}`).digest('hex').slice(0, 48)}`;
}
