/** A table that may be wider than a phone: it scrolls sideways, and the scrolling area is reachable by keyboard. */
import type { ReactNode } from 'react';

export function ScrollTable({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
