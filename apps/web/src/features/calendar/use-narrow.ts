/** Whether the window is phone-narrow (the calendar lists days instead of drawing a grid). */
import { useSyncExternalStore } from 'react';

const NARROW = '(max-width: 40rem)';

const subscribe = (changed: () => void) => {
  const query = window.matchMedia(NARROW);
  query.addEventListener('change', changed);
  return () => query.removeEventListener('change', changed);
};

export function useNarrow(): boolean {
  return useSyncExternalStore(subscribe, () => window.matchMedia(NARROW).matches);
}
