/**
 * LinkedIn's "little text" format, which `commentary` is written in: its
 * reserved characters are escaped with a backslash so that a post says what
 * its author typed (an unescaped `#`, `@`, `(`... would be read as markup,
 * or refused). Source: LinkedIn's "Little Text Format" documentation.
 */
const RESERVED = /[\\|{}@[\]()<>#*_~]/g;

export function toLittleText(text: string): string {
  return text.replace(RESERVED, (character) => `\\${character}`);
}
