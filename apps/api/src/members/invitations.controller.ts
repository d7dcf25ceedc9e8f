import { Body, Controller, Delete, Get, Header, HttpCode, Inject, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import type { LiveSession } from '@herald/db';
import { Auth, AuthContext, AuthGuard, MaybeSession, OptionalSessionGuard, SessionAuthenticator, setSessionCookie, Needs } from '../access';
import { ApiCreated, ApiNoContent, ApiOk, ApiPage, ApiProblems, ApiRoute } from '../common/api-docs';
import { Page, PageQuery } from '../common/pagination';
import { ParseIdPipe } from '../common/uuid.pipe';
import { AcceptInvitationDto, CreateInvitationDto } from './dto';
import { InvitationsService } from './invitations.service';
import { AcceptedInvitationSchema, InvitationPreviewSchema, InvitationSchema, IssuedInvitationSchema } from './schemas';

/**
 * `/v1/invitations`: owners and admins invite, list and revoke (a key or a
 * session); the invited person previews and accepts by the link's token
 * (no key; a session when they have an account).
 */
@ApiTags('Members')
@Controller('v1/invitations')
export class InvitationsController {
  constructor(
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
    private readonly invitations: InvitationsService,
    private readonly cookies: SessionAuthenticator,
  ) {}

  @Post()
  @Needs('members.manage')
  @UseGuards(AuthGuard)
  @Header('Cache-Control', 'no-store')
  @ApiRoute('createInvitation', 'Invite someone', 'A single-use link for an email and a role (no higher than the caller\'s), valid INVITATION_TTL; the token is shown once. Inviting the same email again replaces the first.')
  @ApiCreated(IssuedInvitationSchema)
  @ApiProblems({ 409: 'The email is already a member' })
  create(@Auth() auth: AuthContext, @Body() body: CreateInvitationDto): Promise<IssuedInvitationSchema> {
    return this.invitations.create(auth, body.email, body.role);
  }

  @Get()
  @Needs('members.manage')
  @UseGuards(AuthGuard)
  @ApiRoute('listInvitations', 'List the pending invitations', 'Newest first.')
  @ApiPage(InvitationSchema)
  list(@Auth() auth: AuthContext, @Query() query: PageQuery): Promise<Page<InvitationSchema>> {
    return this.invitations.list(auth, query.limit, query.cursor);
  }

  @Delete(':id')
  @Needs('members.manage')
  @UseGuards(AuthGuard)
  @HttpCode(204)
  @ApiRoute('revokeInvitation', 'Revoke an invitation', 'Its link stops working.')
  @ApiNoContent('Revoked')
  @ApiProblems(404)
  async revoke(@Auth() auth: AuthContext, @Param('id', new ParseIdPipe('Invitation')) id: string): Promise<void> {
    await this.invitations.revoke(auth, id);
  }

  /** 200, and the new session's cookie when it made the account (else the workspace is added to the signed-in person's). */
  @Post('accept')
  @HttpCode(200)
  @UseGuards(OptionalSessionGuard)
  @Header('Cache-Control', 'no-store')
  @ApiRoute(
    'acceptInvitation',
    'Accept an invitation',
    'Signed in (with the CSRF token), adds the workspace to that account, whose email must be the invitation\'s. Not signed in, makes the account (`password` required) and signs it in, setting the session cookie.',
  )
  @ApiOk(AcceptedInvitationSchema, 'Joined, and signed in')
  @ApiProblems({
    403: "Signed in as someone else than the invitation's email, or a signed-in request without its CSRF token",
    404: 'No such invitation was ever issued',
    409: 'The email already has an account: sign in first, then accept',
    410: 'The invitation was used, revoked or has expired',
    422: 'The password is missing or too short',
  })
  async accept(
    @Body() body: AcceptInvitationDto,
    @MaybeSession() session: LiveSession | undefined,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<AcceptedInvitationSchema> {
    const accepted = await this.invitations.accept(body, session, request.ip, this.cookies.presented(request));
    if (accepted.session) {
      response.setHeader('Set-Cookie', setSessionCookie(accepted.session.token, { secure: this.cookies.secure, maxAgeMs: this.config.auth.sessionMaxAgeMs }));
    }
    return { workspaceId: accepted.workspaceId, ...accepted.answer };
  }

  @Get('preview/:token')
  @Header('Cache-Control', 'no-store')
  @ApiRoute('previewInvitation', 'What an invitation is for', 'The workspace, email and role of an invitation link, for the page that accepts it.')
  @ApiOk(InvitationPreviewSchema)
  @ApiProblems({ 404: 'No such invitation was ever issued', 410: 'The invitation was used, revoked or has expired' })
  preview(@Param('token') token: string): Promise<InvitationPreviewSchema> {
    return this.invitations.preview(token);
  }
}
