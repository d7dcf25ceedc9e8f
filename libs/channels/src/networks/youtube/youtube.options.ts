/**
 * `networkOptions.youtube`: the video's title (else the text's first line),
 * its privacy (a channel may keep its own default; else public) and its
 * tags (else the text's hashtags). YouTube refuses `<` and `>` in a title
 * or a tag, and takes at most 500 characters of tags, a tag with a space
 * counting its quotes. Source: developers.google.com
 * `/youtube/v3/docs/videos#snippet.tags[]`, `#status.privacyStatus`.
 */
import type { NetworkOptionsSpec } from '../../rules/descriptor';
import type { ContentViolation } from '../../rules/types';

export const YOUTUBE_PRIVACIES = ['public', 'unlisted', 'private'] as const;

export interface YouTubeOptions {
  title?: string;
  privacy?: (typeof YOUTUBE_PRIVACIES)[number];
  tags?: string[];
}

/** YouTube's count of a video's tags: each tag's characters, two more for the quotes around one with a space, and a comma between two. */
export function tagCharacters(tags: readonly string[]): number {
  return tags.reduce((sum, tag) => sum + Array.from(tag).length + (tag.includes(' ') ? 2 : 0), 0) + Math.max(0, tags.length - 1);
}

export const YOUTUBE_TAG_CHARACTERS = 500;

export const YOUTUBE_OPTIONS: NetworkOptionsSpec = {
  schema: {
    type: 'object',
    additionalProperties: false,
    description: "YouTube: the video's title, privacy and tags",
    properties: {
      title: { type: 'string', minLength: 1, maxLength: 100, description: "The video's title (100 characters, no < or >); default: the text's first line" },
      privacy: { type: 'string', enum: [...YOUTUBE_PRIVACIES], description: "Who sees the video; default: the channel's default, else public" },
      tags: { type: 'array', maxItems: 500, items: { type: 'string', minLength: 1, maxLength: 500 }, description: "The video's tags (500 characters in all, a tag with a space counting its quotes); default: the text's hashtags" },
    },
  },
  channelDefaults: ['privacy'],
  violations(options) {
    const { title, tags } = options as YouTubeOptions;
    const violations: ContentViolation[] = [];
    if (typeof title === 'string' && /[<>]/u.test(title)) violations.push({ code: 'title_forbidden_characters', message: 'The title holds "<" or ">", which YouTube refuses', field: 'title' });
    if (Array.isArray(tags)) {
      if (tags.some((tag) => /[<>]/u.test(tag))) violations.push({ code: 'tag_forbidden_characters', message: 'A tag holds "<" or ">", which YouTube refuses', field: 'tags' });
      const characters = tagCharacters(tags);
      if (characters > YOUTUBE_TAG_CHARACTERS) {
        violations.push({ code: 'tags_too_long', message: `The tags come to ${characters} characters as YouTube counts them (a tag with a space counts its quotes, a comma between two); YouTube allows ${YOUTUBE_TAG_CHARACTERS}`, field: 'tags' });
      }
    }
    return violations;
  },
};
