import { createHash } from 'node:crypto';
import { hasHashTag } from '@herald/config';
import { keySlot, shardIndexOf, shardLayout, shardPrefix } from './publish-shards';

/** What Redis Cluster hashes of a key: between the first `{` and the first `}` after it, when not empty. */
function hashedPart(key: string): string {
  const open = key.indexOf('{');
  const close = open < 0 ? -1 : key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : key;
}

describe('publish queue shards', () => {
  it('computes Redis Cluster\'s slots: CRC16 (XMODEM) of the hash tag, modulo 16,384', () => {
    // The CRC16 of "123456789" is 0x31C3 (Redis Cluster specification).
    expect(keySlot('123456789')).toBe(0x31c3);
    expect(keySlot('{123456789}:anything')).toBe(0x31c3);
    expect(keySlot('a{123456789}b{other}')).toBe(0x31c3);
    // An empty tag is no tag: the whole key is hashed.
    expect(keySlot('{}123456789')).not.toBe(keySlot('123456789'));
    expect(keySlot('foo')).toBe(12182);
  });

  it('keeps one shard the queue Herald always had: `publish` under the prefix itself', () => {
    expect(shardLayout('{herald}', 1)).toEqual([{ index: 0, count: 1, name: 'publish', prefix: '{herald}', qualifiedName: '{herald}:publish' }]);
    expect(shardLayout('herald', 1)[0]).toMatchObject({ name: 'publish', prefix: 'herald' });
  });

  it('gives each of N shards its own queue and a hash tag of its own in the middle of the i-th N-th of the slots', () => {
    for (const count of [2, 3, 6, 64]) {
      const layout = shardLayout('{herald}', count);
      expect(layout.map((shard) => shard.name)).toEqual(Array.from({ length: count }, (_, index) => `publish-${index}`));
      const width = 16_384 / count;
      for (const shard of layout) {
        expect(shard.prefix).toMatch(new RegExp(`^\\{herald-publish-${shard.index}-\\d+\\}$`));
        expect(hasHashTag(shard.prefix)).toBe(true);
        const slot = keySlot(`${shard.qualifiedName}:delayed`);
        expect(slot).toBeGreaterThanOrEqual(width * (shard.index + 0.25));
        expect(slot).toBeLessThanOrEqual(width * (shard.index + 0.75));
      }
    }
    // Three masters made by `redis-cli --cluster create` hold 0-5460, 5461-10922 and 10923-16383: one shard each.
    const masters = shardLayout('{herald}', 3).map((shard) => Math.min(2, Math.floor(keySlot(shard.prefix) / 5461.34)));
    expect(masters).toEqual([0, 1, 2]);
    // Text around the tag stays; only the first tag counts, as in Redis.
    expect(shardPrefix('app:{acc}:x', 1, 2)).toMatch(/^app:\{acc-publish-1-\d+\}:x$/);
    expect(hashedPart(shardPrefix('{a}{b}', 1, 2))).toMatch(/^a-publish-1-\d+$/);
  });

  it('keeps a prefix with no hash tag as it is (one server has no slots)', () => {
    expect(shardLayout('herald', 2).map((shard) => shard.qualifiedName)).toEqual(['herald:publish-0', 'herald:publish-1']);
    expect(shardPrefix('{}herald', 0, 2)).toBe('{}herald');
  });

  it('names the same shards in every process: the layout is a function of the prefix and the count alone', () => {
    expect(shardLayout('{h}', 5)).toEqual(shardLayout('{h}', 5));
    expect(new Set(shardLayout('{h}', 4).map((shard) => shard.qualifiedName)).size).toBe(4);
  });

  it('fixes a channel\'s shard by its id alone, whatever its case, and spreads channels evenly', () => {
    // Fixed ids (UUID-shaped digests of a counter), so the spread is the same on every run: random ones failed the
    // 12 % bound about once in a few hundred runs.
    const ids = Array.from({ length: 3000 }, (_, index) => uuidOf(index));
    for (const id of ids.slice(0, 50)) {
      expect(shardIndexOf(id.toUpperCase(), 3)).toBe(shardIndexOf(id, 3));
      expect(shardIndexOf(id, 1)).toBe(0);
    }
    // Known values (32-bit FNV-1a of "a" is e40c292c): the hash is part of the contract between processes and releases.
    expect(shardIndexOf('a', 0xe40c292c + 1)).toBe(0xe40c292c);
    expect(shardIndexOf('11111111-2222-3333-4444-555555555555', 3)).toBe(1);
    expect(shardIndexOf('11111111-2222-3333-4444-555555555555', 7)).toBe(1);
    for (const count of [2, 3, 7]) {
      const sizes = new Array<number>(count).fill(0);
      for (const id of ids) sizes[shardIndexOf(id, count)]! += 1;
      for (const size of sizes) expect(Math.abs(size - ids.length / count)).toBeLessThan((ids.length / count) * 0.12);
    }
  });
});

function uuidOf(index: number): string {
  const hex = createHash('sha256').update(`channel-${index}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
