import { randomUUID } from 'node:crypto';
import { hasHashTag } from '@herald/config';
import { shardIndexOf, shardLayout, shardPrefix } from './publish-shards';

/** The slot Redis Cluster hashes a key by: what is between the first `{` and the first `}` after it, when not empty. */
function hashedPart(key: string): string {
  const open = key.indexOf('{');
  const close = open < 0 ? -1 : key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : key;
}

describe('publish queue shards', () => {
  it('keeps one shard the queue Herald always had: `publish` under the prefix itself', () => {
    expect(shardLayout('{herald}', 1)).toEqual([{ index: 0, count: 1, name: 'publish', prefix: '{herald}', qualifiedName: '{herald}:publish' }]);
    expect(shardLayout('herald', 1)[0]).toMatchObject({ name: 'publish', prefix: 'herald' });
  });

  it('gives each of N shards its own queue and its own hash tag, derived from the prefix\'s', () => {
    const layout = shardLayout('{herald}', 3);
    expect(layout.map((shard) => [shard.name, shard.prefix])).toEqual([
      ['publish-0', '{herald-publish-0}'],
      ['publish-1', '{herald-publish-1}'],
      ['publish-2', '{herald-publish-2}'],
    ]);
    // Every key of a shard hashes by its own tag; no two shards by the same one, none by the prefix's.
    const tags = layout.map((shard) => hashedPart(`${shard.qualifiedName}:delayed`));
    expect(new Set([...tags, 'herald']).size).toBe(4);
    for (const shard of layout) expect(hasHashTag(shard.prefix)).toBe(true);
    // Text around the tag stays; only the first tag counts, as in Redis.
    expect(shardPrefix('app:{acc}:x', 5)).toBe('app:{acc-publish-5}:x');
    expect(shardPrefix('{a}{b}', 1)).toBe('{a-publish-1}{b}');
  });

  it('keeps a prefix with no hash tag as it is (one server has no slots)', () => {
    expect(shardLayout('herald', 2).map((shard) => shard.qualifiedName)).toEqual(['herald:publish-0', 'herald:publish-1']);
    expect(shardPrefix('{}herald', 0)).toBe('{}herald');
  });

  it('names shard i the same queue whatever the count, so changing the count moves channels, not queues', () => {
    expect(shardLayout('{h}', 2)[1]).toMatchObject({ name: 'publish-1', prefix: '{h-publish-1}' });
    expect(shardLayout('{h}', 5)[1]).toMatchObject({ name: 'publish-1', prefix: '{h-publish-1}' });
  });

  it('fixes a channel\'s shard by its id alone, whatever its case, and spreads channels evenly', () => {
    const ids = Array.from({ length: 3000 }, () => randomUUID());
    for (const id of ids.slice(0, 50)) {
      expect(shardIndexOf(id, 3)).toBe(shardIndexOf(id, 3));
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
