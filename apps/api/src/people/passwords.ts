/**
 * Password hashes: scrypt with OWASP's parameters (N=2^17, r=8, p=1, a
 * 64-byte key, a random 16-byte salt), stored as a self-describing string
 * `scrypt$N$r$p$salt$hash` (base64url) so the parameters can be raised
 * later without losing the old hashes. Each hash takes 128 MiB for a few
 * hundred milliseconds: at most HASHES_AT_ONCE run at a time per process,
 * the others wait their turn, so a burst of sign-ins cannot exhaust memory
 * or the thread pool.
 */
import { Injectable, OnModuleInit } from '@nestjs/common';
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { UnprocessableRequest } from '../common/problems';
import { weaknessOf } from './password-rules/password-rules';

const N = 2 ** 17;
/**
 * Only inside a jest test run (JEST_WORKER_ID is jest's): the cost the test setup
 * names (test/support/test-strength.ts), so dozens of sign-ups do not take
 * minutes. Never read in a process Herald runs as; passwords.spec.ts checks N.
 */
const TEST_COST = 'HERALD_TEST_SCRYPT_COST';

function hashCost(): number {
  const named = process.env.JEST_WORKER_ID === undefined ? undefined : Number(process.env[TEST_COST]);
  return named !== undefined && Number.isInteger(named) && named >= 2 ** 10 && named <= N && (named & (named - 1)) === 0 ? named : N;
}
const R = 8;
const P = 1;
const KEY_BYTES = 64;
const SALT_BYTES = 16;
const HASHES_AT_ONCE = 2;

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 1000;

/** A new password's rules (sign-up, a change, a reset, an invitation's new account): long enough (in characters, code points, not UTF-16 units), and not weak (see password-rules). */
export function checkNewPassword(path: string, password: string): void {
  const message = [...password].length < PASSWORD_MIN_LENGTH ? `must be at least ${PASSWORD_MIN_LENGTH} characters long` : weaknessOf(password);
  if (message) throw new UnprocessableRequest(`${path} ${message}`, [{ path, message }]);
}

interface Parameters {
  N: number;
  r: number;
  p: number;
}

@Injectable()
export class PasswordHasher implements OnModuleInit {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private dummy?: Promise<string>;

  /** The dummy hash is made at start, so even the first unknown email takes no longer than a wrong password. */
  onModuleInit(): void {
    this.dummy ??= this.hash(randomBytes(32).toString('base64url'));
  }

  async hash(password: string): Promise<string> {
    const salt = randomBytes(SALT_BYTES);
    const cost = hashCost();
    const key = await this.derive(password, salt, { N: cost, r: R, p: P }, KEY_BYTES);
    return ['scrypt', cost, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
  }

  /** Whether `password` is the one `stored` was made from; false for a stored value it cannot read. */
  async verify(password: string, stored: string): Promise<boolean> {
    const parsed = parse(stored);
    if (!parsed) return false;
    const key = await this.derive(password, parsed.salt, parsed.parameters, parsed.key.length);
    return timingSafeEqual(key, parsed.key);
  }

  /** The work of a verification, for an email nobody has: a wrong password and an unknown email take as long. */
  async verifyNobody(password: string): Promise<false> {
    this.dummy ??= this.hash(randomBytes(32).toString('base64url'));
    await this.verify(password, await this.dummy);
    return false;
  }

  private async derive(password: string, salt: Buffer, { N: cost, r, p }: Parameters, length: number): Promise<Buffer> {
    await this.turn();
    try {
      return await new Promise<Buffer>((resolve, reject) =>
        // scrypt needs 128·N·r bytes (128 MiB here); Node's default ceiling is 32 MiB.
        scrypt(password.normalize('NFKC'), salt, length, { N: cost, r, p, maxmem: 256 * cost * r }, (error, key) => (error ? reject(error) : resolve(key))),
      );
    } finally {
      // The slot passes straight to the next in line, so none can slip in between.
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }

  private async turn(): Promise<void> {
    if (this.running < HASHES_AT_ONCE) this.running += 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
}

/** A stored hash's parts, with parameters bounded (a tampered row must not make a request allocate gigabytes). */
function parse(stored: string): { parameters: Parameters; salt: Buffer; key: Buffer } | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [cost, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const salt = Buffer.from(parts[4]!, 'base64url');
  const key = Buffer.from(parts[5]!, 'base64url');
  const powerOfTwo = Number.isInteger(cost) && cost >= 2 ** 10 && cost <= 2 ** 20 && (cost & (cost - 1)) === 0;
  if (!powerOfTwo || !Number.isInteger(r) || r < 1 || r > 16 || !Number.isInteger(p) || p < 1 || p > 4) return undefined;
  if (salt.length < 8 || key.length < 16 || key.length > 128) return undefined;
  return { parameters: { N: cost, r, p }, salt, key };
}
