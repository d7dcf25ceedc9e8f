/** The networks this mock stands in for, and the origins it serves them at (two Mastodon instances, and a PLC directory for Bluesky). */
import { MORE_MOCK_LIST, MoreMockNetwork } from './networks/more';

const SEVEN = ['x', 'bluesky', 'mastodon', 'linkedin', 'threads', 'instagram', 'facebook'] as const;
export const MOCK_NETWORKS: ReadonlyArray<(typeof SEVEN)[number] | MoreMockNetwork> = [...SEVEN, ...MORE_MOCK_LIST.map((module) => module.name as MoreMockNetwork)];
export type MockNetwork = (typeof MOCK_NETWORKS)[number];

export function isMockNetwork(value: unknown): value is MockNetwork {
  return typeof value === 'string' && (MOCK_NETWORKS as readonly string[]).includes(value);
}

export type OriginName = 'x' | 'bluesky' | 'mastodon-one' | 'mastodon-two' | 'linkedin' | 'threads' | 'instagram' | 'facebook' | 'plc' | MoreMockNetwork;

/** One origin: its network (none for the PLC directory) and its port as an offset from MOCK_SOCIAL_PORT. */
export interface Origin {
  name: OriginName;
  network?: MockNetwork;
  instance?: 'one' | 'two';
  offset: number;
}

export const ORIGINS: readonly Origin[] = [
  { name: 'x', network: 'x', offset: 1 },
  { name: 'bluesky', network: 'bluesky', offset: 2 },
  { name: 'mastodon-one', network: 'mastodon', instance: 'one', offset: 3 },
  { name: 'mastodon-two', network: 'mastodon', instance: 'two', offset: 4 },
  { name: 'linkedin', network: 'linkedin', offset: 5 },
  { name: 'threads', network: 'threads', offset: 6 },
  { name: 'instagram', network: 'instagram', offset: 7 },
  { name: 'facebook', network: 'facebook', offset: 8 },
  { name: 'plc', offset: 9 },
  ...MORE_MOCK_LIST.map((module, index): Origin => ({ name: module.name as MoreMockNetwork, network: module.name as MoreMockNetwork, offset: 10 + index })),
];

/** The Mastodon instances' names, as `/_mock/networks` lists them and fault, budget and call-log filters take them. */
export const MASTODON_INSTANCES: readonly string[] = ORIGINS.filter((origin) => origin.instance).map((origin) => origin.instance!);

/** The problem with an `instance` field (a Mastodon instance's name), or undefined when it is fine or absent. */
export function instanceProblem(instance: unknown, network: unknown): string | undefined {
  if (instance === undefined) return undefined;
  if (typeof instance !== 'string' || !MASTODON_INSTANCES.includes(instance)) return `instance must be the name of a Mastodon instance: ${MASTODON_INSTANCES.map((name) => `"${name}"`).join(' or ')}`;
  if (network !== undefined && network !== 'mastodon') return 'instance applies to network "mastodon" only';
  return undefined;
}
