/** Pinterest at its own origin: its error format and its routes. */
import type { MockNetworkModule } from '../more';
import { PINTEREST_ERRORS } from './pinterest.face';
import { registerPinterest } from './pinterest';

export const PINTEREST_MOCK = {
  name: 'pinterest', errors: PINTEREST_ERRORS, register: registerPinterest,
  // A video Pin's file comes whole in one upload (Herald's tests send a few MB).
  bodyLimit: 64 * 1024 * 1024,
  // Pinterest's pin analytics metric types (GET /v5/pins/{id}/analytics); Herald does not read them yet.
  metricFields: ['IMPRESSION', 'SAVE', 'PIN_CLICK', 'OUTBOUND_CLICK'],
  largeMetrics: ['IMPRESSION'],
} satisfies MockNetworkModule<'pinterest'>;
