import { Module } from '@nestjs/common';
import { AttemptCounter } from './attempt-counter';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { HashSlots } from './hash-slots';
import { Mailer } from './mailer';
import { PasswordResetService } from './password-reset.service';
import { PasswordHasher } from './passwords';
import { SessionIssuer } from './session-issuer';
import { SignInThrottle } from './sign-in-throttle';

/** People: sign-up, sign-in, sessions, passwords and their reset (a session's requests are authenticated by the access module's AuthGuard). */
@Module({
  controllers: [AuthController],
  providers: [AuthService, PasswordHasher, HashSlots, AttemptCounter, SessionIssuer, SignInThrottle, PasswordResetService, Mailer],
  exports: [AuthService, PasswordHasher, SessionIssuer, Mailer],
})
export class PeopleModule {}
