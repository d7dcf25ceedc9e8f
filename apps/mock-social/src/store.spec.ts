/** The mock's memory: timelines of posts and replies, comments kept by their post, threads' roots, posts taken down. */
import { MockStore } from './store';

const ana = { network: 'x', handle: 'ana' };

describe('the mock store', () => {
  it('keeps replies in the timeline and comments by their post, each with its kind and parent', () => {
    const store = new MockStore();
    const post = store.accept(ana, 'one', []);
    const reply = store.accept(ana, 'two', [], { replyTo: { kind: 'reply', id: post.id } });
    const comment = store.accept(ana, 'note', [], { replyTo: { kind: 'comment', id: post.id } });
    expect([post, reply, comment].map(({ kind, replyTo }) => ({ kind, replyTo }))).toEqual([
      { kind: 'post', replyTo: null },
      { kind: 'reply', replyTo: post.id },
      { kind: 'comment', replyTo: post.id },
    ]);
    expect(store.postsOf(ana)).toEqual([post, reply]);
    expect(store.topLevelOf(ana)).toEqual([post]);
    expect(store.commentsOf(post.id)).toEqual([comment]);
    expect(store.list({ network: 'x', handle: 'ana' })).toEqual([post, reply, comment]);
    expect(store.timeline(ana, { limit: 10, only: (item) => item.kind === 'post' }).posts).toEqual([post]);
  });

  it("finds a thread's first post through its replies", () => {
    const store = new MockStore();
    const root = store.accept(ana, '1/3', []);
    const second = store.accept(ana, '2/3', [], { replyTo: { kind: 'reply', id: root.id } });
    const third = store.accept(ana, '3/3', [], { replyTo: { kind: 'reply', id: second.id } });
    expect(store.threadRootOf(third)).toBe(root);
    expect(store.threadRootOf(root)).toBe(root);
  });

  it('pages after a position, the closest first or the newest first', () => {
    const store = new MockStore();
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((text) => store.accept(ana, text, []));
    expect(store.timeline(ana, { limit: 2, afterPosition: a!.position, closest: true }).posts).toEqual([c, b]);
    expect(store.timeline(ana, { limit: 2, afterPosition: a!.position }).posts).toEqual([d, c]);
    expect(store.timeline(ana, { limit: 5, afterPosition: b!.position })).toEqual({ posts: [d, c] });
  });

  it('takes a post down with its comments; the timeline keeps its place for cursors; quotas still count it', () => {
    const store = new MockStore();
    const [a, b, c] = ['a', 'b', 'c'].map((text) => store.accept(ana, text, []));
    store.accept(ana, 'on b', [], { replyTo: { kind: 'comment', id: b!.id } });
    expect(store.remove(b!.id)).toBe(b);
    expect(store.remove(b!.id)).toBeUndefined();
    expect(store.find(b!.id)).toBeUndefined();
    expect(store.commentsOf(b!.id)).toEqual([]);
    expect(store.list({ network: 'x', handle: 'ana' })).toEqual([a, c]);
    expect(store.postsOf(ana)).toEqual([a, c]);
    expect(store.timeline(ana, { limit: 1, beforePosition: c!.position })).toEqual({ posts: [a] });
    expect(store.topLevelOf(ana)).toHaveLength(3);
  });
});
