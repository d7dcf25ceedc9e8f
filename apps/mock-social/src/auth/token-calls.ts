/** What the token endpoints were asked, by network, instance and grant type: `GET /_mock/oauth`. */
export interface TokenCallCount {
  network: string;
  instanceUrl?: string;
  grantType: string;
  count: number;
  /** Of those, the calls the network refused. */
  refused: number;
}

export class TokenCalls {
  private counts = new Map<string, TokenCallCount>();

  record(network: string, instanceUrl: string | undefined, grantType: string, refused: boolean): void {
    const key = `${network}|${instanceUrl ?? ''}|${grantType}`;
    const entry = this.counts.get(key) ?? { network, ...(instanceUrl ? { instanceUrl } : {}), grantType, count: 0, refused: 0 };
    this.counts.set(key, entry);
    entry.count += 1;
    if (refused) entry.refused += 1;
  }

  list(network?: string): TokenCallCount[] {
    return [...this.counts.values()].filter((entry) => !network || entry.network === network);
  }

  clear(): void {
    this.counts.clear();
  }
}
