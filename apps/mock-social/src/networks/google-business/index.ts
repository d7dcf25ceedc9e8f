/** Google Business Profile at its own origin: Google's error format, its OAuth, accounts, locations and local posts. */
import type { MockNetworkModule } from '../more';
import { GOOGLE_BUSINESS_ERRORS } from './google-business.face';
import { registerGoogleBusiness } from './google-business';

export const GOOGLE_BUSINESS_MOCK = { name: 'google_business', errors: GOOGLE_BUSINESS_ERRORS, register: registerGoogleBusiness } satisfies MockNetworkModule<'google_business'>;
