import { Body, Controller, Get, Header, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { HERALD_CONFIG, HeraldConfig } from '@herald/config';
import type { LiveSession } from '@herald/db';
import { CurrentSession, SessionAuthenticator, SessionGuard, clearSessionCookie, setSessionCookie } from '../access';
import { ApiCreated, ApiNoContent, ApiOk, ApiProblems, ApiRoute } from '../common/api-docs';
import { AuthService, SignedIn } from './auth.service';
import { ChangePasswordDto, ConfirmPasswordResetDto, PasswordResetDto, SignInDto, SignUpDto } from './dto';
import { PasswordResetService } from './password-reset.service';
import { SignedInSchema } from './schemas';
import type { IssuedSession } from './session-issuer';

/** `/v1/auth/*`: no API key; sign-up and sign-in set the session cookie, the rest need it. */
@ApiTags('Auth')
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
  @ApiRoute(
    'signUp',
    'Sign up',
    'The first person on an installation becomes the owner of a new workspace; later people come by invitation, unless AUTH_OPEN_SIGNUP=true. Sets the session cookie.',
  )
  @ApiCreated(SignedInSchema, 'Signed up and signed in')
  @ApiProblems({
    403: 'Sign-up is by invitation on this installation',
    409: 'An account with this email already exists',
    422: 'The password is too short, or too common',
    429: 'Too many passwords are being checked right now: wait for `Retry-After` seconds',
  })
  async signUp(@Body() body: SignUpDto, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<SignedInSchema> {
    return this.started(response, await this.auth.signUp(body, request.ip, this.cookies.presented(request)));
  }

  @Post('sign-in')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiRoute('signIn', 'Sign in', 'Sets a new session cookie.')
  @ApiOk(SignedInSchema, 'Signed in')
  @ApiProblems({
    401: 'The email or the password is wrong (the same answer for both)',
    429: 'Too many password attempts for this email, from this address, or both; or too many passwords being checked right now: wait for `Retry-After` seconds',
  })
  async signIn(@Body() body: SignInDto, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<SignedInSchema> {
    return this.started(response, await this.auth.signIn(body, request.ip, this.cookies.presented(request)));
  }

  @Post('sign-out')
  @HttpCode(204)
  @ApiRoute('signOut', 'Sign out', 'Ends this session and clears the cookie.')
  @ApiNoContent('Signed out')
  @UseGuards(SessionGuard)
  async signOut(@CurrentSession() session: LiveSession, @Res({ passthrough: true }) response: Response): Promise<void> {
    await this.auth.signOut(session);
    response.setHeader('Set-Cookie', clearSessionCookie(this.cookies.secure));
  }

  @Post('sign-out-everywhere')
  @HttpCode(204)
  @ApiRoute('signOutEverywhere', 'Sign out everywhere', 'Ends every session of the person, this one included, and clears the cookie.')
  @ApiNoContent('Signed out of every session')
  @UseGuards(SessionGuard)
  async signOutEverywhere(@CurrentSession() session: LiveSession, @Res({ passthrough: true }) response: Response): Promise<void> {
    await this.auth.signOutEverywhere(session);
    response.setHeader('Set-Cookie', clearSessionCookie(this.cookies.secure));
  }

  @Get('me')
  @Header('Cache-Control', 'no-store')
  @ApiRoute('getMe', 'Who is signed in', 'The person, their workspaces and roles, and the CSRF token of the session.')
  @ApiOk(SignedInSchema)
  @UseGuards(SessionGuard)
  me(@CurrentSession() session: LiveSession): Promise<SignedInSchema> {
    return this.auth.me(session);
  }

  @Post('password')
  @HttpCode(204)
  @ApiRoute('changePassword', 'Change the password', "Every other session of the person ends; this one stays.")
  @ApiNoContent('Changed')
  @ApiProblems({
    403: 'The current password is wrong, or the request came without its CSRF token',
    422: 'The new password is too short, or too common',
    429: 'Too many password attempts, or too many passwords being checked right now: wait for `Retry-After` seconds',
  })
  @UseGuards(SessionGuard)
  async changePassword(@CurrentSession() session: LiveSession, @Body() body: ChangePasswordDto, @Req() request: Request): Promise<void> {
    await this.auth.changePassword(session, body, request.ip);
  }

  /** Always 202, whether or not anyone has the email (the reset, if any, goes to them by email). */
  @Post('password-reset')
  @HttpCode(202)
  @ApiRoute('requestPasswordReset', 'Ask for a password reset', 'Always 202, whether or not anyone has the email: when someone does, a single-use link (valid RESET_TOKEN_TTL) goes to them by email.')
  @ApiResponse({ status: 202, description: 'Accepted; no body' })
  @ApiProblems({ 429: 'Too many resets asked for this email or from this address: wait for `Retry-After` seconds' })
  async requestPasswordReset(@Body() body: PasswordResetDto, @Req() request: Request): Promise<void> {
    await this.resets.request(body.email, request.ip);
  }

  @Post('password-reset/confirm')
  @HttpCode(204)
  @ApiRoute('confirmPasswordReset', 'Set a new password with a reset token', "Uses the token up, and ends every session of the person.")
  @ApiNoContent('The password is set')
  @ApiProblems({
    404: 'No such token was ever issued',
    410: 'The token was used or has expired',
    422: 'The new password is too short, or too common',
    429: 'Too many passwords are being checked right now: wait for `Retry-After` seconds',
  })
  async confirmPasswordReset(@Body() body: ConfirmPasswordResetDto, @Req() request: Request): Promise<void> {
    await this.resets.confirm(body.token, body.password, request.ip);
  }

  private started(response: Response, { answer, session }: { answer: SignedIn; session: IssuedSession }): SignedIn {
    response.setHeader('Set-Cookie', setSessionCookie(session.token, { secure: this.cookies.secure, maxAgeMs: this.config.auth.sessionMaxAgeMs }));
    return answer;
  }
}
