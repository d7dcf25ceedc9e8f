import { Body, Controller, Delete, Get, Header, HttpCode, Inject, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import type { LiveSession } from '@herald/db';
import { Auth, AuthContext, AuthGuard, MaybeSession, OptionalSessionGuard, SessionAuthenticator, setSessionCookie } from '../access';
import { PageQuery } from '../common/pagination';
import { ParseIdPipe } from '../common/uuid.pipe';
import type { SignedIn } from '../people';
import { AcceptInvitationDto, CreateInvitationDto } from './dto';
import { InvitationsService } from './invitations.service';

/**
 * `/v1/invitations`: owners and admins invite, list and revoke (a key or a
 * session); the invited person previews and accepts by the link's token
 * (no key; a session when they have an account).
 */
@Controller('v1/invitations')
export class InvitationsController {
  constructor(
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
    private readonly invitations: InvitationsService,
    private readonly cookies: SessionAuthenticator,
  ) {}

  @Post()
  @UseGuards(AuthGuard)
  @Header('Cache-Control', 'no-store')
  create(@Auth() auth: AuthContext, @Body() body: CreateInvitationDto) {
    return this.invitations.create(auth, body.email, body.role);
  }

  @Get()
  @UseGuards(AuthGuard)
  list(@Auth() auth: AuthContext, @Query() query: PageQuery) {
    return this.invitations.list(auth, query.limit, query.cursor);
  }

  @Delete(':id')
  @UseGuards(AuthGuard)
  @HttpCode(204)
  async revoke(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Invitation')) id: string): Promise<void> {
    await this.invitations.revoke(auth, id);
  }

  /** 200, and the new session's cookie when it made the account (else the workspace is added to the signed-in person's). */
  @Post('accept')
  @HttpCode(200)
  @UseGuards(OptionalSessionGuard)
  @Header('Cache-Control', 'no-store')
  async accept(
    @Body() body: AcceptInvitationDto,
    @MaybeSession() session: LiveSession | undefined,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SignedIn & { workspaceId: string }> {
    const accepted = await this.invitations.accept(body, session, request.ip, this.cookies.presented(request));
    if (accepted.session) {
      response.setHeader('Set-Cookie', setSessionCookie(accepted.session.token, { secure: this.cookies.secure, maxAgeMs: this.config.auth.sessionMaxAgeMs }));
    }
    return { workspaceId: accepted.workspaceId, ...accepted.answer };
  }

  @Get(':token')
  @Header('Cache-Control', 'no-store')
  preview(@Param('token') token: string) {
    return this.invitations.preview(token);
  }
}
