/**
 * A post's text as Bluesky renders it: links, mentions and hashtags found by
 * Bluesky's own `RichText` (@atproto/api), as facets over UTF-8 byte ranges.
 * A mention is a link to an account only once its handle resolves to a DID;
 * one that does not resolve stays plain text (a facet without a DID would be
 * refused).
 */
import { RichText } from '@atproto/api';

export interface Facet {
  index: { byteStart: number; byteEnd: number };
  features: ({ $type: 'app.bsky.richtext.facet#link'; uri: string } | { $type: 'app.bsky.richtext.facet#mention'; did: string } | { $type: 'app.bsky.richtext.facet#tag'; tag: string })[];
}

/** The text's facets; `resolve` answers a handle's DID, or undefined when it has none. */
export async function facetsOf(text: string, resolve: (handle: string) => Promise<string | undefined>): Promise<Facet[]> {
  const rich = new RichText({ text });
  rich.detectFacetsWithoutResolution();
  const facets: Facet[] = [];
  for (const facet of rich.facets ?? []) {
    const features: Facet['features'] = [];
    for (const feature of facet.features) {
      const type = (feature as { $type?: string }).$type;
      if (type === 'app.bsky.richtext.facet#mention') {
        // Before resolution RichText keeps the handle where the DID goes.
        const did = await resolve((feature as { did: string }).did).catch(() => undefined);
        if (did) features.push({ $type: 'app.bsky.richtext.facet#mention', did });
      } else if (type === 'app.bsky.richtext.facet#link') {
        features.push({ $type: 'app.bsky.richtext.facet#link', uri: (feature as { uri: string }).uri });
      } else if (type === 'app.bsky.richtext.facet#tag') {
        features.push({ $type: 'app.bsky.richtext.facet#tag', tag: (feature as { tag: string }).tag });
      }
    }
    if (features.length > 0) facets.push({ index: { byteStart: facet.index.byteStart, byteEnd: facet.index.byteEnd }, features });
  }
  return facets;
}

/** The first link's URL, for a link card. */
export function firstLink(facets: Facet[]): string | undefined {
  for (const facet of facets) {
    for (const feature of facet.features) if (feature.$type === 'app.bsky.richtext.facet#link') return feature.uri;
  }
  return undefined;
}
