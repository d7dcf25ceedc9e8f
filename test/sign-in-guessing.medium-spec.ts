/**
 * Sign-in holds however the guesses arrive (PRODUCT.md section 15): every
 * password tried is counted before it is hashed, so of guesses sent at once
 * no more than the limit are ever checked, and while blocked even the right
 * password is refused; the hashes in flight are bounded (a 429 at once, not
 * a queue of seconds), counted in /metrics; the lockout is the pair's first,
 * so the person still signs in from elsewhere. Also: common and repetitive
 * passwords are refused with a 422 saying why, and sessions end sooner.
 */
import { randomBytes } from 'node:crypto';
import { HttpAnswer, http } from './support/http';
import { InProcessStack } from './support/in-process';

const PASSWORD = 'correct horse battery';
/** The pair limit (apps/api/src/people/sign-in-throttle.ts PAIR_LIMIT): of any number of guesses from one address at one account, this many are checked. */
const PAIR_LIMIT = 10;

let stack: InProcessStack;
let nextAddress = 0;
/** Fresh client addresses (X-Forwarded-For, trusted from loopback). */
const address = () => `10.20.${Math.floor((nextAddress += 1) / 250)}.${nextAddress % 250}`;

function signIn(email: string, password: string, from: string): Promise<HttpAnswer> {
  return http('POST', `${stack.apiUrl}/v1/auth/sign-in`, { body: { email, password }, headers: { 'x-forwarded-for': from } });
}

async function newPerson(): Promise<{ email: string; token: string; csrfToken: string; setCookie: string }> {
  const email = `guessed-${randomBytes(4).toString('hex')}@example.com`;
  const answer = await http('POST', `${stack.apiUrl}/v1/auth/sign-up`, { body: { email, password: PASSWORD }, headers: { 'x-forwarded-for': address() } });
  if (answer.status !== 201) throw new Error(`sign-up: ${answer.status} ${JSON.stringify(answer.body)}`);
  const setCookie = answer.headers.getSetCookie().find((line) => line.startsWith('herald_session='))!;
  return { email, token: setCookie.split(';')[0]!.slice('herald_session='.length), csrfToken: answer.body.csrfToken, setCookie };
}

/** Password hashes the API has worked out for requests, by purpose, from its Prometheus metrics. */
async function hashes(purpose: string): Promise<number> {
  const text = (await http('GET', `${stack.apiUrl}/metrics`, { token: stack.adminToken })).body as string;
  const match = new RegExp(`^herald_password_hashes_total\\{purpose="${purpose}"\\} (\\d+)$`, 'm').exec(text);
  return match ? Number(match[1]) : 0;
}

function statuses(answers: HttpAnswer[]): Record<number, number> {
  return answers.reduce<Record<number, number>>((count, { status }) => ({ ...count, [status]: (count[status] ?? 0) + 1 }), {});
}

// The hashes in flight are bounded by how long one takes: this file hashes at the real scrypt cost,
// as the API process does (test/support/test-strength.ts lowers it for the other in-process files).
const testCost = process.env.HERALD_TEST_SCRYPT_COST;

beforeAll(async () => {
  delete process.env.HERALD_TEST_SCRYPT_COST;
  stack = await InProcessStack.start({ workers: 0, env: { AUTH_OPEN_SIGNUP: 'true' } });
});

afterAll(async () => {
  await stack?.stop();
  if (testCost !== undefined) process.env.HERALD_TEST_SCRYPT_COST = testCost;
});

describe('sign-in under parallel guessing', () => {
  it(`checks at most ${PAIR_LIMIT} of 40 wrong passwords sent at once from one address at one account, and no more after; the hashes say so`, async () => {
    const person = await newPerson();
    const attacker = address();
    const before = await hashes('sign_in');
    const burst = await Promise.all(Array.from({ length: 40 }, (_, guess) => signIn(person.email, `wrong guess number ${guess}`, attacker)));
    const counted = statuses(burst);
    expect(Object.keys(counted).sort()).toEqual(expect.arrayContaining(['429']));
    expect((counted[401] ?? 0) + (counted[429] ?? 0)).toBe(40);
    expect(counted[429]).toBeGreaterThanOrEqual(30);
    for (const refused of burst.filter((answer) => answer.status === 429)) {
      expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    // The burst's refusals for a full hasher cost no guess: keep guessing one at a time until the pair is blocked.
    const oneByOne: HttpAnswer[] = [];
    for (let guess = 0; guess < PAIR_LIMIT + 5; guess += 1) oneByOne.push(await signIn(person.email, `later guess ${guess}`, attacker));
    const wrongAnswers = [...burst, ...oneByOne].filter((answer) => answer.status === 401);
    expect(wrongAnswers).toHaveLength(PAIR_LIMIT);
    expect(oneByOne.at(-1)!.status).toBe(429);
    expect(oneByOne.at(-1)!.body.detail).toMatch(/Too many password attempts/);
    // Every hash the API worked out was one of the ten checked guesses.
    expect((await hashes('sign_in')) - before).toBe(PAIR_LIMIT);

    // Blocked: the right password, sent with 20 wrong ones, is refused like them.
    const withRight = await Promise.all([signIn(person.email, PASSWORD, attacker), ...Array.from({ length: 20 }, (_, guess) => signIn(person.email, `one more guess ${guess}`, attacker))]);
    expect(withRight[0]!.status).toBe(429);
    expect(withRight.every((answer) => answer.status === 429)).toBe(true);
    expect((await hashes('sign_in')) - before).toBe(PAIR_LIMIT);

    // The lockout is the pair's: the person signs in from their own address, at once.
    const own = await signIn(person.email, PASSWORD, address());
    expect(own.status).toBe(200);
    // ... and the attacker's address stays refused at that account, even with the right password.
    expect((await signIn(person.email, PASSWORD, attacker)).status).toBe(429);
  }, 180_000);

  it('answers 429 at once, with Retry-After, when as many hashes as allowed are in flight, instead of queueing them', async () => {
    const refusedBefore = await http('GET', `${stack.apiUrl}/metrics`, { token: stack.adminToken });
    const count = (text: string) => [...text.matchAll(/^herald_password_hashes_refused_total\{bound="[a-z]+"\} (\d+)$/gm)].reduce((sum, match) => sum + Number(match[1]), 0);
    const burst = await Promise.all(Array.from({ length: 16 }, () => signIn(`nobody-${randomBytes(4).toString('hex')}@example.com`, 'not the password at all', address())));
    const busy = burst.filter((answer) => answer.status === 429);
    expect(busy.length).toBeGreaterThanOrEqual(1);
    for (const answer of busy) {
      expect(answer.body.detail).toMatch(/Too many passwords are being checked/);
      expect(answer.headers.get('retry-after')).toBe('1');
    }
    expect(burst.every((answer) => answer.status === 401 || answer.status === 429)).toBe(true);
    expect(count((await http('GET', `${stack.apiUrl}/metrics`, { token: stack.adminToken })).body) - count(refusedBefore.body)).toBe(busy.length);
  }, 120_000);
});

describe('new passwords', () => {
  it('refuses common, repetitive and blank passwords with a 422 that says why, at sign-up, a change and a reset', async () => {
    for (const [password, reason] of [
      ['password12', /most common passwords/],
      ['1234567890', /most common passwords|too repetitive/],
      [' '.repeat(10), /only spaces/],
      ['aaaaaaaaaaaa', /too repetitive/],
      ['dragon1234', /common password with a few characters added/],
    ] as const) {
      const answer = await http('POST', `${stack.apiUrl}/v1/auth/sign-up`, { body: { email: `weak-${randomBytes(4).toString('hex')}@example.com`, password } });
      expect(answer.status).toBe(422);
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(answer.body.errors).toEqual([{ path: 'password', message: expect.stringMatching(reason) }]);
    }
    const person = await newPerson();
    const change = await http('POST', `${stack.apiUrl}/v1/auth/password`, {
      body: { currentPassword: PASSWORD, newPassword: 'Password123' },
      headers: { cookie: `herald_session=${person.token}`, 'x-csrf-token': person.csrfToken },
    });
    expect(change.status).toBe(422);
    expect(change.body.errors).toEqual([{ path: 'newPassword', message: expect.stringMatching(/most common passwords/) }]);
    const reset = await http('POST', `${stack.apiUrl}/v1/auth/password-reset/confirm`, { body: { token: 'x'.repeat(43), password: 'qwertyuiop' } });
    expect(reset.status).toBe(422);
  });
});

describe('sessions', () => {
  it('last 7 days at most by default (the cookie says so), and end after 12 hours unused', async () => {
    const person = await newPerson();
    expect(person.setCookie).toContain(`Max-Age=${7 * 86_400}`);
    const [session] = (await stack.db.query(`SELECT extract(epoch FROM expires_at - created_at)::int AS seconds FROM sessions WHERE user_id = (SELECT id FROM users WHERE email = $1)`, [person.email])).rows;
    expect(session.seconds).toBe(7 * 86_400);
    const me = () => http('GET', `${stack.apiUrl}/v1/auth/me`, { headers: { cookie: `herald_session=${person.token}` } });
    expect((await me()).status).toBe(200);
    await stack.db.query(`UPDATE sessions SET last_seen_at = now() - interval '12 hours 1 minute' WHERE user_id = (SELECT id FROM users WHERE email = $1)`, [person.email]);
    expect((await me()).status).toBe(401);
  });
});
