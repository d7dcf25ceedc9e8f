/** An absolute http(s) URL with a host (browser-safe: the URL policy, which needs Node, judges where it points when Herald itself fetches it). */
export function isWebLink(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
  } catch {
    return false;
  }
}
