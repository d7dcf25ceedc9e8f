// X's own SDK (@xdevplatform/xdk 0.6) writes a thread on the mock X: a post, two replies each
// `reply.inReplyToTweetId` the one before, a reply to a post X does not have (refused with
// 403), then the user's posts read back with reply fields, with and without replies.
// Usage: node xdk-thread.mjs <xBaseUrl> <accessToken> <userId>; prints JSON.
import { Client } from '@xdevplatform/xdk';

const [baseUrl, accessToken, userId] = process.argv.slice(2);
const client = new Client({ baseUrl, accessToken });
const stamp = Date.now();

const first = await client.posts.create({ text: `Thread 1/3 from xdk ${stamp}` });
const second = await client.posts.create({ text: `Thread 2/3 ${stamp}`, reply: { inReplyToTweetId: first.data.id } });
const third = await client.posts.create({ text: `Thread 3/3 ${stamp}`, reply: { inReplyToTweetId: second.data.id } });

let refused;
try {
  await client.posts.create({ text: `a reply to nothing ${stamp}`, reply: { inReplyToTweetId: '1234567890123' } });
} catch (error) {
  refused = { status: error.status, body: error.data };
}

const listed = await client.users.getPosts(userId, { maxResults: 10, postFields: ['conversation_id', 'referenced_tweets', 'in_reply_to_user_id'] });
const withoutReplies = await client.users.getPosts(userId, { maxResults: 10, exclude: ['replies'] });

console.log(
  JSON.stringify({
    ids: [first.data.id, second.data.id, third.data.id],
    refused,
    listed: listed.data,
    withoutReplies: (withoutReplies.data ?? []).map((post) => post.id),
  }),
);
