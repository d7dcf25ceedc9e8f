/**
 * A delivery's media as its network gets them: each item's file from the
 * library (the original, or the version made to fit the network, made now
 * if schedule time could not), readable from the store and reachable at a
 * signed link; items from before the library are imported first. Files an
 * earlier try uploaded are offered to the adapter for reuse (`uploadsOf`).
 */
import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Network, NetworkError, NetworkUploads, PublishableMedia, fitPlan } from '@herald/channels';
import { DeliveriesRepository, MediaRecord, MediaRepository, MediaValue, SYSTEM, tenantOf } from '@herald/db';
import { MediaLibrary, MediaRefused, SignedLinks, mediaItemOf } from '@herald/media';
import { ClaimedDelivery, PublishStep } from './delivery-claims';

/** A kept upload is not reused this close to when the network forgets it. */
const REUSE_MARGIN_MS = 5 * 60_000;

@Injectable()
export class PublishMedia {
  constructor(
    private readonly library: MediaLibrary,
    private readonly media: MediaRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly links: SignedLinks,
  ) {}

  /** The delivery's media, ready to upload; a file that cannot be had is a NetworkError (rejected when it is gone, transient when the store does not answer). */
  async of(delivery: ClaimedDelivery, step?: PublishStep): Promise<PublishableMedia[]> {
    const media = step ? step.media : delivery.media;
    if (media.length === 0) return [];
    try {
      // A later part's files are its own: their upload keys say which part.
      return await this.prepare(delivery, media, step && step.index > 0 ? `p${step.index}.` : '');
    } catch (error) {
      if (error instanceof NetworkError) throw error;
      if (error instanceof MediaRefused) throw new NetworkError('rejected', error.code, `A media item could not be sent: ${error.message}`);
      throw new NetworkError('transient', 'media_store_unavailable', `The media store could not be read: ${(error as Error).message}`, { ambiguous: false });
    }
  }

  /** What earlier tries of this delivery uploaded, and a way to keep what this one uploads. */
  uploadsOf(delivery: ClaimedDelivery): NetworkUploads {
    const kept = delivery.networkMedia;
    return {
      get: (key) => {
        const upload = kept[key];
        if (!upload) return undefined;
        if (upload.expiresAt && Date.parse(upload.expiresAt) - REUSE_MARGIN_MS < Date.now()) return undefined;
        return upload.id;
      },
      keep: async (key, networkId, expiresAt) => {
        const upload = { id: networkId, ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}) };
        kept[key] = upload;
        if (!(await this.deliveries.keepUpload(SYSTEM, delivery.id, delivery.claimToken, key, upload))) {
          throw new NetworkError('transient', 'claim_lost', 'The delivery is no longer claimed by this worker', { ambiguous: false });
        }
      },
    };
  }

  private async prepare(delivery: ClaimedDelivery, items: MediaValue[], keyPrefix: string): Promise<PublishableMedia[]> {
    const tenant = tenantOf(delivery.workspaceId);
    const ids = items.flatMap((item) => (item.mediaId ? [item.mediaId] : []));
    const rows = new Map((await this.media.among(tenant, ids)).map((row) => [row.id, row]));
    const prepared: PublishableMedia[] = [];
    for (const [index, item] of items.entries()) {
      let media: MediaRecord | undefined;
      if (item.mediaId) {
        media = rows.get(item.mediaId);
        if (!media) throw new NetworkError('rejected', 'media_missing', `media[${index}] (${item.mediaId}) was deleted from the media library`);
      } else {
        // A post from before the library: its URL is imported now (the same bytes are one file).
        media = (await this.library.import(tenant, item.url!)).media;
      }
      const plan = fitPlan(delivery.network as Network, mediaItemOf(media));
      const file = plan ? await this.library.fit(tenant, media, plan) : this.library.originalOf(media);
      const alt = item.alt ?? '';
      const name = this.library.fileName(file);
      prepared.push({
        key: `${keyPrefix}${index}:${file.key.split('/').pop()!.slice(0, 16)}:${createHash('sha256').update(alt).digest('hex').slice(0, 8)}`,
        type: media.kind,
        mimeType: file.mimeType,
        size: file.size,
        ...(file.width ? { width: file.width } : {}),
        ...(file.height ? { height: file.height } : {}),
        ...(media.durationMs !== null ? { durationMs: media.durationMs } : {}),
        animated: media.animated,
        alt,
        filename: name,
        read: () => this.library.readAll(file),
        readRange: (start, end) => this.library.readAll(file, { start, end }),
        publicUrl: this.links.link(media.id, name),
      });
    }
    await this.media.touch(tenant, [...rows.keys()]);
    return prepared;
  }
}
