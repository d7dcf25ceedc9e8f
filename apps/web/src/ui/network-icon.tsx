/**
 * A network's mark, from simple-icons (kept up to date by its maintainers,
 * CC0). LinkedIn asked simple-icons to remove its mark, so it is drawn here: a
 * plain rounded square with "in", in LinkedIn's blue. Decorative: the network's
 * name is always said in words beside it.
 */
import { DESCRIBED_NETWORKS } from '@herald/channels/rules/catalog';
import { siBluesky, siFacebook, siInstagram, siMastodon, siThreads, siX } from 'simple-icons';

interface Mark {
  path: string;
  /** The brand colour; black marks take the text colour so they show in dark mode. */
  hex: string | null;
}

const MARKS: Record<string, Mark> = {
  x: { path: siX.path, hex: null },
  bluesky: { path: siBluesky.path, hex: `#${siBluesky.hex}` },
  mastodon: { path: siMastodon.path, hex: `#${siMastodon.hex}` },
  threads: { path: siThreads.path, hex: null },
  instagram: { path: siInstagram.path, hex: `#${siInstagram.hex}` },
  facebook: { path: siFacebook.path, hex: `#${siFacebook.hex}` },
  // The networks that describe themselves carry their own mark (copied from simple-icons).
  ...Object.fromEntries(DESCRIBED_NETWORKS.map((descriptor) => [descriptor.network, descriptor.mark])),
};

const LINKEDIN_BLUE = '#0A66C2';

export function NetworkIcon({ network, size = 16, className }: { network: string; size?: number; className?: string }) {
  if (network === 'linkedin') {
    return (
      <svg viewBox="0 0 24 24" width={size} height={size} aria-hidden="true" focusable="false" className={`network-icon ${className ?? ''}`}>
        <rect width="24" height="24" rx="4" fill={LINKEDIN_BLUE} />
        <path fill="#fff" d="M5.3 9.2h2.9V19H5.3zM6.8 4.5a1.7 1.7 0 1 1 0 3.4 1.7 1.7 0 0 1 0-3.4M10.1 9.2h2.8v1.3h.04c.4-.75 1.35-1.55 2.8-1.55 3 0 3.55 1.97 3.55 4.5V19h-2.9v-4.85c0-1.15-.02-2.65-1.6-2.65-1.62 0-1.87 1.26-1.87 2.56V19h-2.9z" />
      </svg>
    );
  }
  const mark = MARKS[network];
  if (!mark) return null;
  return (
    <svg viewBox="0 0 24 24" width={size} height={size} aria-hidden="true" focusable="false" className={`network-icon ${className ?? ''}`} style={mark.hex ? { color: mark.hex } : undefined}>
      <path fill="currentColor" d={mark.path} />
    </svg>
  );
}
