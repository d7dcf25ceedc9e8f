/**
 * How LinkedIn reads a post's `commentary`, which is "little text": a
 * backslash escapes the next character; `@[Name](urn:li:...)` is a mention
 * (shown as the name) and `{hashtag|\#|tag}` a hashtag (shown as #tag); any
 * other reserved character left unescaped breaks the markup, and what a
 * reader sees stops there (the text after it is lost, as on LinkedIn).
 * Reserved: \ | { } @ [ ] ( ) < > # * _ ~. Source: LinkedIn's "Little Text
 * Format" page.
 */
const RESERVED = new Set('\\|{}@[]()<>#*_~');
const MENTION = /^@\[([^\]]*)\]\(urn:li:[a-zA-Z]+:[^)]+\)/;
const HASHTAG = /^\{hashtag\|\\#\|([^}]+)\}/;

/** What a reader sees of a commentary, and whether markup broke it (the text was cut where it broke). */
export function readLittleText(commentary: string): { text: string; broken: boolean } {
  let text = '';
  for (let index = 0; index < commentary.length; ) {
    const character = commentary[index]!;
    if (character === '\\' && index + 1 < commentary.length) {
      const next = commentary.codePointAt(index + 1)!;
      text += String.fromCodePoint(next);
      index += next > 0xffff ? 3 : 2;
      continue;
    }
    const rest = commentary.slice(index);
    const mention = MENTION.exec(rest);
    if (mention) {
      text += mention[1];
      index += mention[0].length;
      continue;
    }
    const hashtag = HASHTAG.exec(rest);
    if (hashtag) {
      text += `#${hashtag[1]}`;
      index += hashtag[0].length;
      continue;
    }
    if (RESERVED.has(character)) return { text, broken: true };
    text += character;
    index += 1;
  }
  return { text, broken: false };
}
