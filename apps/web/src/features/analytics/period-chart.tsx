/**
 * Engagements per period as bars: plain SVG (no charting library: the page
 * stays a few KB), scaled to its box, with the figures also in a table for
 * screen readers (the SVG is a picture of that table).
 */
import type { AnalyticsView } from './api';

const HEIGHT = 160;

export function PeriodChart({ periods }: { periods: AnalyticsView['periods'] }) {
  if (periods.length === 0) return null;
  const max = Math.max(1, ...periods.map((period) => period.engagements));
  const width = Math.max(periods.length * 24, 240);
  const bar = width / periods.length;
  return (
    <figure className="analytics-chart">
      <svg viewBox={`0 0 ${width} ${HEIGHT + 20}`} preserveAspectRatio="none" role="img" aria-label={`Engagements per period, highest ${max}`}>
        {periods.map((period, index) => {
          const height = Math.round((period.engagements / max) * HEIGHT);
          return (
            <rect key={period.period} x={index * bar + bar * 0.15} y={HEIGHT - height} width={bar * 0.7} height={Math.max(height, 1)} rx={2} className="analytics-bar">
              <title>{`${period.period}: ${period.engagements} ${period.engagements === 1 ? 'engagement' : 'engagements'}, ${period.posts} ${period.posts === 1 ? 'post' : 'posts'}`}</title>
            </rect>
          );
        })}
        <line x1={0} x2={width} y1={HEIGHT} y2={HEIGHT} className="analytics-axis" />
      </svg>
      <figcaption className="muted">
        Engagements per period, {periods[0]!.period} to {periods[periods.length - 1]!.period}
      </figcaption>
    </figure>
  );
}
