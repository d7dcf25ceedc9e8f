/**
 * `networkOptions.pinterest`: the board to pin to (one of the channel's,
 * `boards` on the channel; default: the channel's board), the pin's title
 * (100 characters; default: none) and its link (where the pin leads, an
 * http(s) URL of at most 2,048 characters; default: the text's first link).
 * Source: developers.pinterest.com `/docs/api/v5/pins-create`.
 */
import type { NetworkOptionsSpec } from '../../rules/descriptor';
import type { ContentViolation } from '../../rules/types';
import { isWebLink } from '../../rules/web-link';

export interface PinterestOptions {
  boardId?: string;
  title?: string;
  link?: string;
}

export const PINTEREST_OPTIONS: NetworkOptionsSpec = {
  schema: {
    type: 'object',
    additionalProperties: false,
    description: "Pinterest: the board, the pin's title and where it links",
    properties: {
      boardId: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[0-9A-Za-z_-]+$', description: "One of the channel's boards (GET /v1/channels/{id}: boards); default: the channel's board" },
      title: { type: 'string', minLength: 1, maxLength: 100, description: "The pin's title (100 characters); default: none" },
      link: { type: 'string', minLength: 1, maxLength: 2048, description: "Where the pin leads (http or https); default: the text's first link" },
    },
  },
  channelDefaults: ['boardId'],
  choices: (details) => ({ boards: Array.isArray(details.boards) ? details.boards : [] }),
  violations(options) {
    const { link } = options as PinterestOptions;
    const violations: ContentViolation[] = [];
    if (typeof link === 'string' && !isWebLink(link)) violations.push({ code: 'link_invalid', message: `The pin's link "${link}" is not an http or https URL`, field: 'link' });
    return violations;
  },
};

