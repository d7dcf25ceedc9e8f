/** Outside the network paths: what the mocks accepted, fault injection, health, and token issuing. */
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { MOCK_NETWORKS, isMockNetwork } from '../networks';
import { Faults } from '../faults';
import { NetworkGate } from '../network-gate';
import { MockStore } from '../store';

@Controller('_mock')
export class InspectionController {
  constructor(
    private readonly store: MockStore,
    private readonly faults: Faults,
  ) {}

  @Get('health')
  health() {
    return { status: 'ok' };
  }

  @Get('posts')
  posts(@Query('network') network?: string, @Query('handle') handle?: string) {
    return { data: this.store.list({ network, handle }) };
  }

  @Delete('posts')
  @HttpCode(204)
  clearPosts(): void {
    this.store.clearPosts();
  }

  @Put('faults')
  addFault(@Body() body: unknown, @Res() response: FastifyReply): void {
    const problems = faultProblems(body);
    if (problems.length > 0) return void response.status(400).send({ error: 'invalid fault rule', problems });
    response.status(201).send(this.faults.add(body as Parameters<Faults['add']>[0]));
  }

  @Get('faults')
  listFaults() {
    return { data: this.faults.list() };
  }

  @Delete('faults')
  @HttpCode(204)
  clearFaults(): void {
    this.faults.clear();
  }
}

/** `POST /<network>/oauth/token {handle}`: the mock's stand-in for each network's OAuth flow. */
@Controller(':network/oauth')
export class TokenController {
  constructor(private readonly gate: NetworkGate) {}

  @Post('token')
  token(@Param('network') network: string, @Req() request: FastifyRequest, @Res() response: FastifyReply): void {
    if (!isMockNetwork(network)) return void response.status(404).send({ error: 'unknown network', networks: MOCK_NETWORKS });
    this.gate.issueToken(network, request, response);
  }
}

const FAULT_FIELDS = ['network', 'handle', 'failRate', 'status', 'retryAfter', 'latencyMs', 'revokeToken', 'dropAfterAccept', 'message'];

function faultProblems(body: unknown): string[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return ['body must be a JSON object'];
  const rule = body as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(rule)) if (!FAULT_FIELDS.includes(key)) problems.push(`${key} is not a fault field`);
  if (rule.network !== undefined && !isMockNetwork(rule.network)) problems.push(`network must be one of ${MOCK_NETWORKS.join(', ')}`);
  if (rule.handle !== undefined && typeof rule.handle !== 'string') problems.push('handle must be a string');
  if (rule.failRate !== undefined && !(typeof rule.failRate === 'number' && rule.failRate >= 0 && rule.failRate <= 1)) problems.push('failRate must be 0 to 1');
  if (rule.status !== undefined && ![429, 500, 503].includes(rule.status as number)) problems.push('status must be 429, 500 or 503');
  if (rule.retryAfter !== undefined && !(typeof rule.retryAfter === 'number' && rule.retryAfter >= 0 && rule.retryAfter <= 3600)) problems.push('retryAfter must be 0 to 3600 seconds');
  if (rule.latencyMs !== undefined && !(typeof rule.latencyMs === 'number' && rule.latencyMs >= 0 && rule.latencyMs <= 120_000)) problems.push('latencyMs must be 0 to 120000');
  // Any text, NUL and lone surrogates included: real networks' error messages are not always clean.
  if (rule.message !== undefined && !(typeof rule.message === 'string' && rule.message.length <= 2000)) problems.push('message must be a string of at most 2000 characters');
  for (const flag of ['revokeToken', 'dropAfterAccept']) if (rule[flag] !== undefined && typeof rule[flag] !== 'boolean') problems.push(`${flag} must be a boolean`);
  return problems;
}
