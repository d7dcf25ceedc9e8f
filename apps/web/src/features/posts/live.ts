/**
 * How often a post or a list is read again while the page is open: every 2 s
 * while a delivery is publishing (or being unpublished) or due within two minutes (the moment a
 * person watches), every 30 s while others are scheduled or wait for approval, and not at all when nothing can change.
 */
import type { DeliveryView } from '../../api/views';

export const LIVE_INTERVAL_MS = 2_000;
export const IDLE_INTERVAL_MS = 30_000;
const SOON_MS = 2 * 60_000;

export function refreshInterval(deliveries: DeliveryView[] | undefined, now = Date.now()): number | false {
  if (!deliveries) return IDLE_INTERVAL_MS;
  if (deliveries.some((delivery) => delivery.status === 'publishing' || delivery.unpublish?.status === 'pending')) return LIVE_INTERVAL_MS;
  const scheduled = deliveries.filter((delivery) => delivery.status === 'scheduled');
  if (scheduled.some((delivery) => !delivery.scheduledAt || new Date(delivery.scheduledAt).getTime() - now < SOON_MS)) return LIVE_INTERVAL_MS;
  return scheduled.length > 0 || deliveries.some((delivery) => delivery.status === 'pending_approval') ? IDLE_INTERVAL_MS : false;
}
