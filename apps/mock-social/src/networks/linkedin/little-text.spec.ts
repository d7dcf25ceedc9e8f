import { readLittleText } from './little-text';

describe("LinkedIn's little text, as a reader sees it", () => {
  it('unescapes every escaped character, astral ones too', () => {
    expect(readLittleText('brand\\_new \\(beta\\) \\#launch \\@ada \\\\ \\😀')).toEqual({ text: 'brand_new (beta) #launch @ada \\ 😀', broken: false });
  });

  it('shows mentions as their name and hashtag templates as hashtags', () => {
    expect(readLittleText('hi @[Ada Lovelace](urn:li:person:abc123) {hashtag|\\#|herald}!')).toEqual({ text: 'hi Ada Lovelace #herald!', broken: false });
  });

  it('cuts the text at the first reserved character left unescaped', () => {
    expect(readLittleText('launch (beta) today')).toEqual({ text: 'launch ', broken: true });
    expect(readLittleText('snake_case')).toEqual({ text: 'snake', broken: true });
    expect(readLittleText('plain text, no markup: fine.')).toEqual({ text: 'plain text, no markup: fine.', broken: false });
  });
});
