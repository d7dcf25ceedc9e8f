/**
 * An RSS 2.0, Atom or JSON Feed document as items (guid, title, link,
 * summary), newest as the feed orders them. XML through fast-xml-parser
 * (no entity expansion beyond the XML ones, no DTD), JSON Feed as JSON.
 * Pure: the poll (FeedPoller) fetches, this reads.
 */
import { createHash } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';

export interface FeedItem {
  /** The item's id: its guid (RSS), id (Atom, JSON Feed), else its link, else a hash of its title; at most 500 characters. */
  guid: string;
  title: string;
  link: string;
  summary: string;
}

export class FeedUnreadable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeedUnreadable';
  }
}

/** The most items read of one document. */
export const MAX_FEED_ITEMS = 200;

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  processEntities: true,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => ['item', 'entry', 'link'].includes(name),
});

export function parseFeed(body: string, contentType = ''): FeedItem[] {
  const text = body.replace(/^\uFEFF/, '').trimStart();
  if (/json/i.test(contentType) || text.startsWith('{')) return jsonFeed(text);
  if (!text.startsWith('<')) throw new FeedUnreadable('is neither XML (RSS, Atom) nor a JSON Feed');
  let document: Record<string, unknown>;
  try {
    // A DOCTYPE's declared entities are never expanded (a billion laughs is a feed too): the declaration is dropped first.
    document = xml.parse(text.replace(/<!DOCTYPE[^[>]*(\[[\s\S]*?\])?\s*>/i, '')) as Record<string, unknown>;
  } catch (error) {
    throw new FeedUnreadable(`is not well-formed XML (${(error as Error).message.slice(0, 120)})`);
  }
  const rss = (document.rss ?? document['rdf:RDF']) as Record<string, unknown> | undefined;
  if (rss) {
    const channel = (rss.channel ?? {}) as Record<string, unknown>;
    const items = ((channel.item ?? rss.item ?? []) as Record<string, unknown>[]).slice(0, MAX_FEED_ITEMS);
    return items.map((item) => itemOf(textOf(item.guid), textOf(item.title), textOf(firstOf(item.link)), textOf(item.description)));
  }
  const atom = document.feed as Record<string, unknown> | undefined;
  if (atom) {
    const entries = ((atom.entry ?? []) as Record<string, unknown>[]).slice(0, MAX_FEED_ITEMS);
    return entries.map((entry) => itemOf(textOf(entry.id), textOf(entry.title), atomLink(entry.link), textOf(entry.summary ?? entry.content)));
  }
  throw new FeedUnreadable('is XML but neither RSS nor Atom');
}

function jsonFeed(text: string): FeedItem[] {
  let document: { version?: unknown; items?: unknown };
  try {
    document = JSON.parse(text) as typeof document;
  } catch {
    throw new FeedUnreadable('is not valid JSON');
  }
  if (typeof document.version !== 'string' || !document.version.startsWith('https://jsonfeed.org/version/') || !Array.isArray(document.items)) {
    throw new FeedUnreadable('is JSON but not a JSON Feed');
  }
  return (document.items as Record<string, unknown>[])
    .slice(0, MAX_FEED_ITEMS)
    .map((item) => itemOf(textOf(item.id), textOf(item.title), textOf(item.url ?? item.external_url), textOf(item.summary ?? item.content_text)));
}

function itemOf(id: string, title: string, link: string, summary: string): FeedItem {
  const guid = id || link || createHash('sha256').update(title).digest('hex');
  return { guid: guid.length > 500 ? createHash('sha256').update(guid).digest('hex') : guid, title, link, summary };
}

function firstOf(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

/** An Atom entry's link: the `alternate` one (or the first without a rel). */
function atomLink(links: unknown): string {
  const list = (Array.isArray(links) ? links : links ? [links] : []) as Record<string, unknown>[];
  const alternate = list.find((link) => link['@_rel'] === undefined || link['@_rel'] === 'alternate') ?? list[0];
  return alternate ? textOf(alternate['@_href'] ?? alternate) : '';
}

/** A node's text: a string, a number, or an element's `#text`; tags stripped, whitespace folded. */
function textOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return clean(String(value));
  if (typeof value === 'object' && '#text' in (value as object)) return textOf((value as Record<string, unknown>)['#text']);
  return '';
}

function clean(text: string): string {
  return text
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** `{{title}} {{link}}` with the item's fields (`title`, `link`, `summary`); an unknown placeholder is left empty. */
export function render(template: string, item: Pick<FeedItem, 'title' | 'link' | 'summary'>): string {
  return template
    .replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => (name === 'title' || name === 'link' || name === 'summary' ? item[name] : ''))
    .replace(/[ \t]+/g, ' ')
    .trim();
}
