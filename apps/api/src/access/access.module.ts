import { Global, Module } from '@nestjs/common';
import { AccessService } from './access.service';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { AdminTokenGuard, ApiKeyGuard } from './guards';

/** Who is asking and what they may do, for every API module: the guards, the AuthContext, the access checks. */
@Global()
@Module({
  providers: [AccessService, ApiKeyAuthenticator, ApiKeyGuard, AdminTokenGuard],
  exports: [AccessService, ApiKeyAuthenticator, ApiKeyGuard, AdminTokenGuard],
})
export class AccessModule {}
