/**
 * Google Business Profile: a channel is one location of a Google account
 * (chosen when connecting), a post is one of its local posts (`STANDARD`):
 * the text is its summary (1,500 characters), the text's first link its
 * call to action (`LEARN_MORE`), and one photo, which Google fetches from
 * Herald's signed media link (JPEG or PNG, 10 KB to 5 MB, at least 250
 * pixels a side). Local posts can be deleted. Sources: developers.google.com
 * `/my-business/reference/rest/v4/accounts.locations.localPosts`,
 * `/my-business/content/posts-data`, support.google.com/business
 * `/answer/7342169` (photo guidelines).
 */
import type { NetworkDescriptor } from '../../rules/descriptor';
import { GOOGLE_BUSINESS_OPTIONS } from './google-business.options';

export const GOOGLE_BUSINESS = {
  network: 'google_business' as const,
  rules: {
    network: 'google_business',
    displayName: 'Google Business Profile',
    text: { maxLength: 1500, counting: "characters (Unicode code points) of the local post's summary" },
    media: {
      maxImages: 1,
      maxVideos: 0,
      mixed: false,
      minItems: 0,
      image: { types: ['image/jpeg', 'image/png'], maxBytes: 5 * 1024 * 1024, minDimension: 250, fits: ['bytes', 'type'], convertTo: 'image/jpeg' },
    },
    honoursIdempotencyKey: false,
    // accounts.locations.localPosts.delete: `DELETE /v4/{name=accounts/*/locations/*/localPosts/*}`, an empty answer.
    deletion: { supported: true, how: '`DELETE /v4/accounts/{account}/locations/{location}/localPosts/{post}`' },
  },
  mark: {
    // simple-icons "googlemybusiness" (CC0).
    path: 'M3.273 1.636c-.736 0-1.363.492-1.568 1.16L0 8.454v1.909a3.27 3.27 0 0 0 1.5 2.749v9.251c0 .9.736 1.637 1.636 1.637h17.728c.9 0 1.636-.737 1.636-1.637v-9.25A3.27 3.27 0 0 0 24 10.363v-1.91l-1.705-5.655a1.646 1.646 0 0 0-1.568-1.161zM8.01 3.272h3.117v7.091a1.64 1.64 0 0 1-3.282 0zm4.86 0h3.117l.164 7.091a1.64 1.64 0 0 1-3.281 0zm5.071 7.091h1.637l.164 7.092v-.001a3.27 3.27 0 0 1-.819-.232zm-12.6 0v7.094a3.27 3.27 0 0 1-.818.23l.164-7.324zm11.215 3.28c1.474 0 2.45.645 3.045 1.207l-1.1 1.065c-.438-.398-1.077-.81-1.945-.81-1.5 0-2.7 1.237-2.7 2.734s1.2 2.733 2.7 2.733c1.74 0 2.384-1.249 2.487-1.9h-2.487v-1.45h4.136c.04.219.068.43.068.716 0 2.498-1.677 4.27-4.204 4.27-2.419 0-4.378-1.958-4.378-4.37s1.959-4.194 4.378-4.194z',
    hex: '#4285F4',
  },
  endpoints: {
    // Local posts are v4 (mybusiness.googleapis.com); accounts and locations moved to their own v1 APIs.
    api: { real: 'https://mybusiness.googleapis.com', variable: 'GOOGLE_BUSINESS_API_URL', mockPath: '' },
    accounts: { real: 'https://mybusinessaccountmanagement.googleapis.com', variable: 'GOOGLE_BUSINESS_ACCOUNTS_URL', mockPath: '' },
    locations: { real: 'https://mybusinessbusinessinformation.googleapis.com', variable: 'GOOGLE_BUSINESS_LOCATIONS_URL', mockPath: '' },
    authorize: { real: 'https://accounts.google.com/o/oauth2/v2/auth', variable: 'GOOGLE_BUSINESS_AUTHORIZE_URL', mockPath: '/o/oauth2/v2/auth' },
    token: { real: 'https://oauth2.googleapis.com/token', variable: 'GOOGLE_BUSINESS_TOKEN_URL', mockPath: '/token' },
  },
  app: { name: 'google', clientIdVariable: 'GOOGLE_CLIENT_ID', clientSecretVariable: 'GOOGLE_CLIENT_SECRET' },
  options: GOOGLE_BUSINESS_OPTIONS,
} satisfies NetworkDescriptor<'google_business'>;
