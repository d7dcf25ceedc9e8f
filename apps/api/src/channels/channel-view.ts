import { Channel } from '@herald/db';

/** A channel as the API shows it: never its access token. */
export interface ChannelView {
  id: string;
  network: string;
  handle: string;
  timezone: string;
  postingSchedule: { slots: { day: string; time: string }[] };
  status: string;
  createdAt: string;
  updatedAt: string;
}

export function toChannelView(channel: Channel): ChannelView {
  return {
    id: channel.id,
    network: channel.network,
    handle: channel.handle,
    timezone: channel.timezone,
    postingSchedule: channel.postingSchedule,
    status: channel.status,
    createdAt: channel.createdAt.toISOString(),
    updatedAt: channel.updatedAt.toISOString(),
  };
}
