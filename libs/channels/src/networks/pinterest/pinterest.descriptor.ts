/**
 * Pinterest (API v5): a pin holds one image (by upload, base64) or one video
 * (MP4, MOV or M4V, 4 seconds to 15 minutes, up to 2 GB), on the board the
 * channel posts to; its description is the post's text (800 characters), its
 * alt text 500. Sources: developers.pinterest.com `/docs/api/v5/pins-create`,
 * `/docs/api/v5/media-create`, `/docs/getting-started/authentication-and-scopes`,
 * and the video Pin specifications (help.pinterest.com, "Video Pin specs").
 */
import type { NetworkDescriptor } from '../../rules/descriptor';
import { PINTEREST_OPTIONS } from './pinterest.options';

export const PINTEREST = {
  network: 'pinterest' as const,
  rules: {
    network: 'pinterest',
    displayName: 'Pinterest',
    text: { maxLength: 800, counting: "characters (Unicode code points) of the pin's description" },
    media: {
      maxImages: 1,
      maxVideos: 1,
      mixed: false,
      minItems: 1,
      altTextMaxLength: 500,
      // Pins-create: BMP, JPEG, PNG, TIFF, GIF, WebP; 20 MB at most [unverified: the size cap is from the help centre, not the API reference].
      image: { types: ['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/bmp', 'image/tiff'], maxBytes: 20 * 1024 * 1024, fits: ['bytes', 'pixels'] },
      // Video Pins: MP4, MOV or M4V, 4 s to 15 min, 2 GB [unverified: from the help centre's specs, not the API reference].
      video: { types: ['video/mp4', 'video/quicktime', 'video/x-m4v'], maxBytes: 2 * 1024 * 1024 * 1024, minDurationMs: 4_000, maxDurationMs: 15 * 60_000 },
    },
    honoursIdempotencyKey: false,
    // pins-delete: `DELETE /v5/pins/{pin_id}`, 204.
    deletion: { supported: true, how: '`DELETE /v5/pins/{pin_id}`' },
  },
  mark: { path: 'M12.017 0C5.396 0 .029 5.367.029 11.987c0 5.079 3.158 9.417 7.618 11.162-.105-.949-.199-2.403.041-3.439.219-.937 1.406-5.957 1.406-5.957s-.359-.72-.359-1.781c0-1.663.967-2.911 2.168-2.911 1.024 0 1.518.769 1.518 1.688 0 1.029-.653 2.567-.992 3.992-.285 1.193.6 2.165 1.775 2.165 2.128 0 3.768-2.245 3.768-5.487 0-2.861-2.063-4.869-5.008-4.869-3.41 0-5.409 2.562-5.409 5.199 0 1.033.394 2.143.889 2.741.099.12.112.225.085.345-.09.375-.293 1.199-.334 1.363-.053.225-.172.271-.401.165-1.495-.69-2.433-2.878-2.433-4.646 0-3.776 2.748-7.252 7.92-7.252 4.158 0 7.392 2.967 7.392 6.923 0 4.135-2.607 7.462-6.233 7.462-1.214 0-2.354-.629-2.758-1.379l-.749 2.848c-.269 1.045-1.004 2.352-1.498 3.146 1.123.345 2.306.535 3.55.535 6.607 0 11.985-5.365 11.985-11.987C23.97 5.39 18.592.026 11.985.026L12.017 0z', hex: '#BD081C' },
  endpoints: {
    api: { real: 'https://api.pinterest.com', variable: 'PINTEREST_API_URL', mockPath: '' },
    authorize: { real: 'https://www.pinterest.com/oauth/', variable: 'PINTEREST_AUTHORIZE_URL', mockPath: '/oauth/' },
    token: { real: 'https://api.pinterest.com/v5/oauth/token', variable: 'PINTEREST_TOKEN_URL', mockPath: '/v5/oauth/token' },
  },
  app: { name: 'pinterest', clientIdVariable: 'PINTEREST_APP_ID', clientSecretVariable: 'PINTEREST_APP_SECRET' },
  options: PINTEREST_OPTIONS,
} satisfies NetworkDescriptor<'pinterest'>;
