/**
 * Engagements per period as bars, drawn with visx (@visx/shape's Bar on
 * @visx/scale's band and linear scales: React components over d3's scales,
 * still plain SVG in the page), scaled to its box. Loaded with the page's
 * own chunk only, never on the first load. Each bar names its period,
 * engagements and posts; the posts table below holds every figure in text.
 */
import { Group } from '@visx/group';
import { scaleBand, scaleLinear } from '@visx/scale';
import { Bar, Line } from '@visx/shape';
import type { AnalyticsView } from './api';

const HEIGHT = 160;

export function PeriodChart({ periods }: { periods: AnalyticsView['periods'] }) {
  if (periods.length === 0) return null;
  const max = Math.max(1, ...periods.map((period) => period.engagements));
  const width = Math.max(periods.length * 24, 240);
  const x = scaleBand<string>({ domain: periods.map((period) => period.period), range: [0, width], paddingInner: 0.3, paddingOuter: 0.15 });
  const y = scaleLinear<number>({ domain: [0, max], range: [HEIGHT, 0] });
  return (
    <figure className="analytics-chart">
      <svg viewBox={`0 0 ${width} ${HEIGHT + 20}`} preserveAspectRatio="none" role="img" aria-label={`Engagements per period, highest ${max}`}>
        <Group>
          {periods.map((period) => {
            const height = Math.round(HEIGHT - y(period.engagements));
            return (
              <Bar key={period.period} x={x(period.period) ?? 0} y={HEIGHT - Math.max(height, 1)} width={x.bandwidth()} height={Math.max(height, 1)} rx={2} className="analytics-bar">
                <title>{`${period.period}: ${period.engagements} ${period.engagements === 1 ? 'engagement' : 'engagements'}, ${period.posts} ${period.posts === 1 ? 'post' : 'posts'}`}</title>
              </Bar>
            );
          })}
          <Line from={{ x: 0, y: HEIGHT }} to={{ x: width, y: HEIGHT }} className="analytics-axis" />
        </Group>
      </svg>
      <figcaption className="muted">
        Engagements per period, {periods[0]!.period} to {periods[periods.length - 1]!.period}
      </figcaption>
    </figure>
  );
}
