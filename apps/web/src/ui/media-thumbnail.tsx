/**
 * A media library thumbnail, fetched through the API client (an <img src> to
 * /v1/media/:id/thumbnail could not name the workspace, which a person in
 * several must), shown from an object URL freed when it goes.
 */
import { useEffect, useState } from 'react';
import { herald } from '../api/client';

export function MediaThumbnail({ mediaId, alt, className }: { mediaId: string; alt: string; className?: string }) {
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let objectUrl: string | null = null;
    let gone = false;
    herald
      .GET('/v1/media/{id}/thumbnail', { params: { path: { id: mediaId } }, parseAs: 'blob' })
      .then(({ data, response }) => {
        if (gone) return;
        if (!response.ok || !(data instanceof Blob)) return setFailed(true);
        objectUrl = URL.createObjectURL(data);
        setUrl(objectUrl);
      })
      .catch(() => !gone && setFailed(true));
    return () => {
      gone = true;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [mediaId]);
  if (failed) return <span className={`thumbnail-missing ${className ?? ''}`}>{alt || 'Image'} (no preview)</span>;
  return url ? <img src={url} alt={alt} className={className} /> : <span className={`thumbnail-loading ${className ?? ''}`} aria-hidden="true" />;
}
