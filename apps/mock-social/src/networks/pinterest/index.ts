/** Pinterest at its own origin: its error format and its routes. */
import type { MockNetworkModule } from '../more';
import { PINTEREST_ERRORS } from './pinterest.face';
import { registerPinterest } from './pinterest';

export const PINTEREST_MOCK = { name: 'pinterest', errors: PINTEREST_ERRORS, register: registerPinterest } satisfies MockNetworkModule<'pinterest'>;
