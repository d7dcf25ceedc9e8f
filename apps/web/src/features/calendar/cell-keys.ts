/**
 * The calendar's keyboard moves: each arrow key carries a lifted post to the
 * next cell in that direction (the next day with ← →, the next hour or week
 * with ↑ ↓), not by a fixed number of pixels as dnd-kit's default does.
 */
import { KeyboardCode, type KeyboardCoordinateGetter } from '@dnd-kit/core';

const STEP: Record<string, [number, number]> = {
  [KeyboardCode.Right]: [1, 0],
  [KeyboardCode.Left]: [-1, 0],
  [KeyboardCode.Down]: [0, 1],
  [KeyboardCode.Up]: [0, -1],
};

export const cellKeyboardCoordinates: KeyboardCoordinateGetter = (event, { context: { collisionRect, droppableRects, droppableContainers } }) => {
  const step = STEP[event.code];
  if (!step || !collisionRect) return undefined;
  event.preventDefault();
  const [dx, dy] = step;
  const x = collisionRect.left + collisionRect.width / 2;
  const y = collisionRect.top + collisionRect.height / 2;
  let best: { left: number; top: number } | undefined;
  let nearest = Infinity;
  for (const container of droppableContainers.getEnabled()) {
    const rect = droppableRects.get(container.id);
    if (!rect) continue;
    const cx = rect.left + rect.width / 2;
    const cy = rect.top + rect.height / 2;
    // Ahead in the arrow's direction, and in the same row (← →) or column (↑ ↓).
    const ahead = dx !== 0 ? (cx - x) * dx : (cy - y) * dy;
    const inLine = dx !== 0 ? Math.abs(cy - y) < rect.height / 2 : Math.abs(cx - x) < rect.width / 2;
    if (ahead > 1 && inLine && ahead < nearest) {
      nearest = ahead;
      best = rect;
    }
  }
  return best ? { x: best.left + 2, y: best.top + 2 } : undefined;
};
