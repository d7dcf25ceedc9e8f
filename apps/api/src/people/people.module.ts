import { Module } from '@nestjs/common';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { Mailer } from './mailer';
import { PasswordResetService } from './password-reset.service';
import { PasswordHasher } from './passwords';
import { SessionIssuer } from './session-issuer';
import { SignInThrottle } from './sign-in-throttle';

/** People: sign-up, sign-in, sessions, passwords and their reset (a session's requests are authenticated by the access module's AuthGuard). */
@Module({
  controllers: [AuthController],
  providers: [AuthService, PasswordHasher, SessionIssuer, SignInThrottle, PasswordResetService, Mailer],
  exports: [AuthService, PasswordHasher, SessionIssuer, Mailer],
})
export class PeopleModule {}
