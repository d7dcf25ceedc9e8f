/** What X counts any URL as (twitter-text's `transformedURLLength`). */
export const X_URL_LENGTH = 23;
/** What Mastodon counts any URL as (`StatusLengthValidator::URL_PLACEHOLDER_CHARS`). */
export const MASTODON_URL_LENGTH = 23;
