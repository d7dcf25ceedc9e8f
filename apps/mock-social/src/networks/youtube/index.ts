/** YouTube at its own origin: Google's error format, its OAuth and the Data API's routes (uploads in chunks of up to 8 MiB, and more). */
import type { MockNetworkModule } from '../more';
import { YOUTUBE_ERRORS } from './youtube.face';
import { registerYouTube } from './youtube';

export const YOUTUBE_MOCK = {
  name: 'youtube', errors: YOUTUBE_ERRORS, register: registerYouTube, bodyLimit: 64 * 1024 * 1024,
  // YouTube's video statistics (GET /youtube/v3/videos?part=statistics); Herald does not read them yet.
  metricFields: ['viewCount', 'likeCount', 'commentCount', 'favoriteCount'],
  largeMetrics: ['viewCount'],
} satisfies MockNetworkModule<'youtube'>;
