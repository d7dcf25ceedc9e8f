import { Body, Controller, Get, HttpCode, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { LiveSession } from '@herald/db';
import { AuthGuard, Auth, AuthContext, MaybeSession, Needs, OptionalSessionGuard } from '../access';
import { ApiCreated, ApiData, ApiProblems, ApiRoute } from '../common/api-docs';
import { ChooseAccountDto, ConnectCallbackQuery, StartConnectDto } from './dto';
import { ConnectService } from './connect.service';
import { ChannelSchema, ConnectStartedSchema, PendingAccountSchema } from './schemas';

/** Starting a connect flow, and picking an account when the person has several. */
@ApiTags('Connect')
@Controller('v1/channels/connect')
@UseGuards(AuthGuard)
export class ConnectController {
  constructor(private readonly connect: ConnectService) {}

  @Post()
  @Needs('channels.manage')
  @ApiRoute(
    'startConnect',
    "Start connecting an account through the network's OAuth flow",
    "Send the person's browser to `authorizeUrl`; once the network sends it back to Herald's callback, Herald sends it on to `redirectUri` with `channelId=`, `pending=<state>&accounts=<n>` or `error=`. `redirectUri` must be on the web app's origin or one the workspace allowed (`PATCH /v1/workspace`). A flow a signed-in person starts is bound to their browser session; one an API key starts, to the key.",
  )
  @ApiCreated(ConnectStartedSchema, 'The flow, valid until `expiresAt`')
  @ApiProblems({ 422: "The network does not connect through OAuth, this installation lacks its app's settings, the instance is refused, or redirectUri is on neither the web app's origin nor one the workspace allowed" })
  start(@Auth() auth: AuthContext, @Body() body: StartConnectDto): Promise<ConnectStartedSchema> {
    return this.connect.start(auth, body);
  }

  @Get(':state/accounts')
  @Needs('channels.manage')
  @ApiRoute('listPendingAccounts', 'List the accounts a connect flow reached', 'After `pending=`: the Pages or Instagram accounts the person manages, to choose one from.')
  @ApiData(PendingAccountSchema)
  @ApiProblems({ 404: 'No pending connection has this state (in this workspace)' })
  pending(@Auth() auth: AuthContext, @Param('state') state: string): Promise<{ data: PendingAccountSchema[] }> {
    return this.connect.pending(auth, state);
  }

  @Post(':state/choose')
  @Needs('channels.manage')
  @HttpCode(201)
  @ApiRoute('choosePendingAccount', 'Connect the chosen account of a connect flow')
  @ApiCreated(ChannelSchema, 'The channel')
  @ApiProblems({ 404: 'No pending connection has this state (in this workspace)', 422: 'accountId is not one of the accounts the flow reached' })
  choose(@Auth() auth: AuthContext, @Param('state') state: string, @Body() body: ChooseAccountDto): Promise<ChannelSchema> {
    return this.connect.choose(auth, state, body.accountId);
  }
}

/**
 * The network sends the person's browser here: no API key, the single-use
 * state names the workspace; the session cookie, when the flow is a
 * person's, must be the one that started it.
 */
@ApiTags('Connect')
@Controller('v1/channels/connect/callback')
@UseGuards(OptionalSessionGuard)
export class ConnectCallbackController {
  constructor(private readonly connect: ConnectService) {}

  @Get()
  @ApiRoute(
    'connectCallback',
    "Where the network sends the person's browser back (OAuth callback)",
    'Not called by clients: register it with each network\'s app. Creates or reconnects the channel, then redirects to the flow\'s `redirectUri`. A flow a person started is finished only by the browser session that started it; one an API key started, only while the key is live. A used, expired or refused state goes to Herald\'s own page (`/channels/connected?error=`), never to `redirectUri`.',
  )
  @ApiResponse({
    status: 302,
    description:
      'To `redirectUri`, with `channelId=` (connected), `pending=<state>&accounts=<n>` (choose one), or `error=` (`access_denied`, `invalid_grant`, ...); or to Herald\'s `/channels/connected` with `error=` (`state_already_used`, `state_expired`, `not_your_connection`, `access_ended`, `redirect_not_allowed`, `state_unbound`), the state left unused when refused',
    headers: { Location: { description: 'The flow\'s redirectUri with the outcome in its query', schema: { type: 'string', format: 'uri' } } },
    // Express's one-line note of the redirect, in the type the browser asked for.
    content: { 'text/plain': { schema: { type: 'string', example: 'Found. Redirecting to https://app.example.com/channels?channelId=…' } }, 'text/html': { schema: { type: 'string' } } },
  })
  @ApiProblems({ 400: 'No state, or a state Herald never issued' })
  async callback(@Query() query: ConnectCallbackQuery, @MaybeSession() session: LiveSession | undefined, @Res() response: Response): Promise<void> {
    response.redirect(302, await this.connect.callback(query, session));
  }
}
