export * from './auth-context';
export * from './permissions';
export * from './access.service';
export * from './access.module';
export * from './api-key-authenticator';
export * from './guards';
export * from './session-authenticator';
export * from './session-cookie';
