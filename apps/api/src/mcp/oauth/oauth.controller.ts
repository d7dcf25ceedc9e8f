/**
 * The OAuth endpoints MCP clients discover and use (see OAuthFlow): the
 * protected resource's and the authorization server's metadata (RFC 9728,
 * RFC 8414), registration (RFC 7591), the consent page a signed-in person
 * allows a client on, and the token endpoint. Answers are OAuth's own
 * (`{error, error_description}`), not problems.
 */
import { Body, Controller, Get, HttpCode, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import { SessionAuthenticator } from '../../access';
import { OAuthError, OAuthFlow } from './oauth-flow';
import { consentPage, messagePage, signInLink } from './consent-page';

@ApiExcludeController()
@Controller()
export class OAuthController {
  constructor(
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
    private readonly flow: OAuthFlow,
    private readonly sessions: SessionAuthenticator,
  ) {}

  @Get(['.well-known/oauth-protected-resource', '.well-known/oauth-protected-resource/mcp'])
  protectedResource(): Record<string, unknown> {
    const base = this.config.publicUrl;
    return { resource: `${base}/mcp`, authorization_servers: [base], bearer_methods_supported: ['header'], resource_name: 'Herald', scopes_supported: ['herald'] };
  }

  @Get(['.well-known/oauth-authorization-server', '.well-known/openid-configuration'])
  authorizationServer(): Record<string, unknown> {
    const base = this.config.publicUrl;
    return {
      issuer: base,
      authorization_endpoint: `${base}/oauth/authorize`,
      token_endpoint: `${base}/oauth/token`,
      registration_endpoint: `${base}/oauth/register`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['none'],
      scopes_supported: ['herald'],
    };
  }

  @Post('oauth/register')
  register(@Body() body: Record<string, unknown>, @Res() response: Response): void {
    answer(response, () => ({ status: 201, body: { ...this.flow.register(body ?? {}), token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'] } }));
  }

  /** The consent page: the person signed in (in this browser) picks a workspace and allows the client. */
  @Get('oauth/authorize')
  async consent(@Query() query: Record<string, unknown>, @Req() request: Request, @Res() response: Response): Promise<void> {
    let checked;
    try {
      checked = this.flow.checkAuthorize(query);
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      response.status(400).type('html').send(messagePage('This link cannot be used', error.description));
      return;
    }
    const session = await this.sessions.authenticate(request);
    if (!session) {
      // Signing in comes back here (the web app's sign-in loads this page again), so the client's flow goes on.
      response.status(401).type('html').send(messagePage('Sign in to Herald first', 'Sign in to Herald in this browser: you come back here to allow the client.', signInLink(request.originalUrl), 'Sign in'));
      return;
    }
    const workspaces = await this.flow.workspacesOf(session);
    // The form is sent here, which answers with a redirect to the client: the CSP lets the form go there.
    const target = new URL(checked.redirectUri);
    const destination = target.protocol === 'http:' || target.protocol === 'https:' ? target.origin : target.protocol;
    response.setHeader('Content-Security-Policy', `default-src 'none'; style-src 'unsafe-inline'; form-action 'self' ${destination}; frame-ancestors 'none'`);
    response.status(200).type('html').send(consentPage(checked.client.name, checked, workspaces, session.csrfToken));
  }

  /** The consent form's answer: back to the client with a code. */
  @Post('oauth/authorize')
  async allow(@Body() body: Record<string, unknown>, @Req() request: Request, @Res() response: Response): Promise<void> {
    try {
      const checked = this.flow.checkAuthorize(body ?? {});
      const session = await this.sessions.authenticate(request);
      if (!session) throw new OAuthError('access_denied', 'Not signed in: sign in to Herald and open the link again', 401);
      const target = await this.flow.allow(session, checked, String(body.workspace_id ?? ''), body.csrf ?? request.header('x-csrf-token'));
      response.redirect(302, target);
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      response.status(error.status).type('html').send(messagePage('Not allowed', error.description));
    }
  }

  @Post('oauth/token')
  @HttpCode(200)
  async token(@Body() body: Record<string, unknown>, @Res() response: Response): Promise<void> {
    try {
      const tokens = await this.flow.token(body ?? {});
      response.status(200).setHeader('Cache-Control', 'no-store').json(tokens);
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      response.status(error.status).setHeader('Cache-Control', 'no-store').json({ error: error.error, error_description: error.description });
    }
  }
}

function answer(response: Response, make: () => { status: number; body: unknown }): void {
  try {
    const { status, body } = make();
    response.status(status).json(body);
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    response.status(error.status).json({ error: error.error, error_description: error.description });
  }
}
