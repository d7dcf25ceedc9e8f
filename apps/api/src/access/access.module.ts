import { Global, Module } from '@nestjs/common';
import { AccessService } from './access.service';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { AdminTokenGuard, AuthGuard, OptionalSessionGuard, SessionGuard } from './guards';
import { Makers } from './makers';
import { SessionAuthenticator } from './session-authenticator';

/** Who is asking and what they may do, for every API module: the guards (API keys, sessions, the admin token), the AuthContext, the access checks. */
@Global()
@Module({
  providers: [AccessService, Makers, ApiKeyAuthenticator, SessionAuthenticator, AuthGuard, SessionGuard, OptionalSessionGuard, AdminTokenGuard],
  exports: [AccessService, Makers, ApiKeyAuthenticator, SessionAuthenticator, AuthGuard, SessionGuard, OptionalSessionGuard, AdminTokenGuard],
})
export class AccessModule {}
