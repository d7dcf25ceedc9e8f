/**
 * Bounds the password hashes in flight (running or waiting for one of the
 * hasher's turns) overall, per account and per client address. A request
 * that would go past a bound is answered 429 at once, with Retry-After,
 * instead of queueing behind seconds of hashing: a burst of guesses, or of
 * sign-ins, cannot hold every other sign-in up, and one address or one
 * account cannot take every slot. Each hash that runs is counted in
 * `herald_password_hashes_total`.
 */
import { Injectable } from '@nestjs/common';
import { TooManyRequests } from '../common/problems';
import { ApiMetrics } from '../health';

/** Two hashes run at once (the hasher's turns), two more may wait: about two hashes' time at worst. */
export const HASHES_IN_FLIGHT = 4;
export const HASHES_IN_FLIGHT_PER_ADDRESS = 2;
export const HASHES_IN_FLIGHT_PER_ACCOUNT = 2;

/** Whose hash it is: the account (the email, lowercased, or a user's id) and the client address. */
export interface HashOwner {
  account: string;
  address: string | undefined;
}

export type HashPurpose = 'sign_in' | 'sign_up' | 'password_change' | 'password_reset';

@Injectable()
export class HashSlots {
  private inFlight = 0;
  private readonly perAccount = new Map<string, number>();
  private readonly perAddress = new Map<string, number>();

  constructor(private readonly metrics: ApiMetrics) {}

  /**
   * Runs `work` in a slot, or throws 429 when a bound is full. `work` does
   * its hashing through the `hash` it is given (which counts each one), and
   * may do its cheaper checks first: a request refused by them hashes nothing.
   */
  async run<T>(owner: HashOwner, purpose: HashPurpose, work: (hash: <H>(hashing: () => Promise<H>) => Promise<H>) => Promise<T>): Promise<T> {
    const account = `account:${owner.account.toLowerCase()}`;
    const address = `address:${owner.address ?? 'unknown'}`;
    const full = this.fullBound(account, address);
    if (full) {
      this.metrics.passwordHashesRefused.inc({ bound: full });
      throw new TooManyRequests('Too many passwords are being checked right now: try again in a moment', 1);
    }
    this.inFlight += 1;
    add(this.perAccount, account, 1);
    add(this.perAddress, address, 1);
    try {
      return await work(async (hashing) => {
        this.metrics.passwordHashes.inc({ purpose });
        return hashing();
      });
    } finally {
      this.inFlight -= 1;
      add(this.perAccount, account, -1);
      add(this.perAddress, address, -1);
    }
  }

  private fullBound(account: string, address: string): 'overall' | 'account' | 'address' | undefined {
    if (this.inFlight >= HASHES_IN_FLIGHT) return 'overall';
    if ((this.perAccount.get(account) ?? 0) >= HASHES_IN_FLIGHT_PER_ACCOUNT) return 'account';
    if ((this.perAddress.get(address) ?? 0) >= HASHES_IN_FLIGHT_PER_ADDRESS) return 'address';
    return undefined;
  }
}

function add(counts: Map<string, number>, key: string, by: number): void {
  const next = (counts.get(key) ?? 0) + by;
  if (next > 0) counts.set(key, next);
  else counts.delete(key);
}
