/**
 * The OAuth clients the networks know: one registered app on X, LinkedIn and
 * Meta (Threads, Instagram and Facebook share it), and Mastodon's apps,
 * registered by `POST /api/v1/apps` on each instance apart.
 */
import { randomBytes } from 'node:crypto';

export interface MastodonApp {
  id: string;
  name: string;
  website: string | null;
  redirectUris: string[];
  scopes: string[];
  clientId: string;
  clientSecret: string;
  vapidKey: string;
}

export class OAuthApps {
  private mastodon = new Map<string, Map<string, MastodonApp>>();
  private sequence = 0;

  constructor(
    readonly clientId: string,
    private readonly clientSecret: string,
  ) {}

  /** Whether these are the registered app's credentials (X, LinkedIn, Meta). */
  isRegistered(clientId: unknown, clientSecret: unknown): boolean {
    return clientId === this.clientId && clientSecret === this.clientSecret;
  }

  registerMastodon(instanceUrl: string, app: Pick<MastodonApp, 'name' | 'website' | 'redirectUris' | 'scopes'>): MastodonApp {
    this.sequence += 1;
    const registered: MastodonApp = {
      ...app,
      id: String(this.sequence),
      clientId: randomBytes(32).toString('base64url').slice(0, 43),
      clientSecret: randomBytes(32).toString('base64url').slice(0, 43),
      vapidKey: `B${randomBytes(64).toString('base64url')}`,
    };
    const apps = this.mastodon.get(instanceUrl) ?? new Map<string, MastodonApp>();
    this.mastodon.set(instanceUrl, apps);
    apps.set(registered.clientId, registered);
    return registered;
  }

  mastodonApp(instanceUrl: string, clientId: unknown): MastodonApp | undefined {
    return typeof clientId === 'string' ? this.mastodon.get(instanceUrl)?.get(clientId) : undefined;
  }
}

/** Client credentials from `Authorization: Basic` (RFC 6749 2.3.1: each part form-encoded). */
export function basicCredentials(authorization: string | undefined): { clientId: string; clientSecret: string } | undefined {
  const encoded = authorization?.match(/^Basic\s+([A-Za-z0-9+/=]+)$/i)?.[1];
  if (!encoded) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const unescape = (part: string) => {
    try {
      return decodeURIComponent(part.replace(/\+/g, ' '));
    } catch {
      return part;
    }
  };
  return { clientId: unescape(decoded.slice(0, colon)), clientSecret: unescape(decoded.slice(colon + 1)) };
}
