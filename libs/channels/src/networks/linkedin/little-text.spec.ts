import { toLittleText } from './little-text';

describe("LinkedIn's little text", () => {
  it('escapes every reserved character so the commentary says what its author typed', () => {
    expect(toLittleText('a_b (c) #d @e [f] {g} <h> *i* ~j| \\k')).toBe('a\\_b \\(c\\) \\#d \\@e \\[f\\] \\{g\\} \\<h\\> \\*i\\* \\~j\\| \\\\k');
  });

  it('leaves everything else as it is, emoji and accents included', () => {
    expect(toLittleText('Café ☕ 🚀, 50% off: now!')).toBe('Café ☕ 🚀, 50% off: now!');
  });
});
