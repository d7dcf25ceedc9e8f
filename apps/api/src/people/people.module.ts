import { Module } from '@nestjs/common';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { PasswordHasher } from './passwords';
import { SessionIssuer } from './session-issuer';
import { SignInThrottle } from './sign-in-throttle';

/** People: sign-up, sign-in, sessions, passwords (a session's requests are authenticated by the access module's AuthGuard). */
@Module({
  controllers: [AuthController],
  providers: [AuthService, PasswordHasher, SessionIssuer, SignInThrottle],
})
export class PeopleModule {}
