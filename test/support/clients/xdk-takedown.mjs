// X's own SDK (@xdevplatform/xdk 0.6) deletes a post on the mock X (`posts.delete`:
// `{data: {deleted: true}}`); reading it then finds nothing, and a second delete is a 404.
// Usage: node xdk-takedown.mjs <xBaseUrl> <accessToken>; prints JSON.
import { Client } from '@xdevplatform/xdk';

const [baseUrl, accessToken] = process.argv.slice(2);
const client = new Client({ baseUrl, accessToken });
const post = await client.posts.create({ text: `to be taken down ${Date.now()}` });
const deleted = await client.posts.delete(post.data.id);
let again;
try {
  await client.posts.delete(post.data.id);
} catch (error) {
  again = { status: error.status, body: error.data };
}
console.log(JSON.stringify({ id: post.data.id, deleted, again }));
