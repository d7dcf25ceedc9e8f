import { Body, Controller, Get, Header, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import type { LiveSession } from '@herald/db';
import { CurrentSession, SessionAuthenticator, SessionGuard, clearSessionCookie, setSessionCookie } from '../access';
import { AuthService, SignedIn } from './auth.service';
import { ChangePasswordDto, ConfirmPasswordResetDto, PasswordResetDto, SignInDto, SignUpDto } from './dto';
import { PasswordResetService } from './password-reset.service';
import type { IssuedSession } from './session-issuer';

/** `/v1/auth/*`: no API key; sign-up and sign-in set the session cookie, the rest need it. */
@Controller('v1/auth')
export class AuthController {
  constructor(
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
    private readonly auth: AuthService,
    private readonly cookies: SessionAuthenticator,
    private readonly resets: PasswordResetService,
  ) {}

  @Post('sign-up')
  @Header('Cache-Control', 'no-store')
  async signUp(@Body() body: SignUpDto, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<SignedIn> {
    return this.started(response, await this.auth.signUp(body, request.ip, this.cookies.presented(request)));
  }

  @Post('sign-in')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async signIn(@Body() body: SignInDto, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<SignedIn> {
    return this.started(response, await this.auth.signIn(body, request.ip, this.cookies.presented(request)));
  }

  @Post('sign-out')
  @HttpCode(204)
  @UseGuards(SessionGuard)
  async signOut(@CurrentSession() session: LiveSession, @Res({ passthrough: true }) response: Response): Promise<void> {
    await this.auth.signOut(session);
    response.setHeader('Set-Cookie', clearSessionCookie(this.cookies.secure));
  }

  @Post('sign-out-everywhere')
  @HttpCode(204)
  @UseGuards(SessionGuard)
  async signOutEverywhere(@CurrentSession() session: LiveSession, @Res({ passthrough: true }) response: Response): Promise<void> {
    await this.auth.signOutEverywhere(session);
    response.setHeader('Set-Cookie', clearSessionCookie(this.cookies.secure));
  }

  @Get('me')
  @Header('Cache-Control', 'no-store')
  @UseGuards(SessionGuard)
  me(@CurrentSession() session: LiveSession): Promise<SignedIn> {
    return this.auth.me(session);
  }

  @Post('password')
  @HttpCode(204)
  @UseGuards(SessionGuard)
  async changePassword(@CurrentSession() session: LiveSession, @Body() body: ChangePasswordDto, @Req() request: Request): Promise<void> {
    await this.auth.changePassword(session, body, request.ip);
  }

  /** Always 202, whether or not anyone has the email (the reset, if any, goes to them by email). */
  @Post('password-reset')
  @HttpCode(202)
  async requestPasswordReset(@Body() body: PasswordResetDto, @Req() request: Request): Promise<void> {
    await this.resets.request(body.email, request.ip);
  }

  @Post('password-reset/confirm')
  @HttpCode(204)
  async confirmPasswordReset(@Body() body: ConfirmPasswordResetDto): Promise<void> {
    await this.resets.confirm(body.token, body.password);
  }

  private started(response: Response, { answer, session }: { answer: SignedIn; session: IssuedSession }): SignedIn {
    response.setHeader('Set-Cookie', setSessionCookie(session.token, { secure: this.cookies.secure, maxAgeMs: this.config.auth.sessionMaxAgeMs }));
    return answer;
  }
}
