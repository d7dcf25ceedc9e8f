export { PeopleModule } from './people.module';
export { AuthService } from './auth.service';
export type { SignedIn } from './auth.service';
export { PASSWORD_MAX_LENGTH, PasswordHasher, checkNewPassword } from './passwords';
export { Mailer } from './mailer';
export { SessionIssuer } from './session-issuer';
export type { IssuedSession } from './session-issuer';
export { SignedInSchema } from './schemas';
