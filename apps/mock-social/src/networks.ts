/** The networks this mock stands in for, named as their paths here are (`/x/...`, `/bluesky/...`). */
export const MOCK_NETWORKS = ['x', 'bluesky', 'mastodon', 'linkedin', 'threads', 'instagram', 'facebook'] as const;
export type MockNetwork = (typeof MOCK_NETWORKS)[number];

export function isMockNetwork(value: unknown): value is MockNetwork {
  return typeof value === 'string' && (MOCK_NETWORKS as readonly string[]).includes(value);
}
