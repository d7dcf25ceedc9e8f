/** The files of a post being composed: each uploaded to the media library as soon as it is picked, with its alt text. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { multipartBody } from '@herald/api-client';
import { herald } from '../../api/client';
import { call } from '../../api/call';
import { problemOf, type Problem } from '../../api/problem';
import type { MediaView } from '../../api/views';

export interface Attachment {
  key: string;
  name: string;
  /** A local preview of the picked file (an object URL) until it is uploaded, then the library's thumbnail. */
  previewUrl: string | null;
  alt: string;
  status: 'uploading' | 'ready' | 'failed';
  media?: MediaView;
  problem?: Problem;
}

let keys = 0;

/** A File keeps its name in the multipart body. */
function upload(file: File): Promise<MediaView> {
  return call(herald.POST('/v1/media', { body: { file }, bodySerializer: multipartBody }));
}

/** A file the post already has, as an attachment ready to keep, re-describe or remove. */
export function attachmentOf(media: MediaView, alt: string): Attachment {
  keys += 1;
  return { key: `file-${keys}`, name: media.filename ?? '', previewUrl: null, alt, status: 'ready', media };
}

/** `initial`: the files a post being edited already has. */
export function useAttachments(initial: Attachment[] = []) {
  const [attachments, setAttachments] = useState<Attachment[]>(initial);
  const objectUrls = useRef(new Map<string, string>());
  useEffect(() => {
    const urls = objectUrls.current;
    return () => urls.forEach((url) => URL.revokeObjectURL(url));
  }, []);
  const update = useCallback((key: string, change: Partial<Attachment>) => {
    setAttachments((current) => current.map((attachment) => (attachment.key === key ? { ...attachment, ...change } : attachment)));
  }, []);
  const add = useCallback(
    (files: Iterable<File>) => {
      for (const file of files) {
        const key = `file-${(keys += 1)}`;
        const previewUrl = file.type.startsWith('image/') ? URL.createObjectURL(file) : null;
        if (previewUrl) objectUrls.current.set(key, previewUrl);
        setAttachments((current) => [...current, { key, name: file.name, previewUrl, alt: '', status: 'uploading' }]);
        upload(file).then(
          (media) => update(key, { status: 'ready', media }),
          (error: unknown) => update(key, { status: 'failed', problem: problemOf(error) }),
        );
      }
    },
    [update],
  );
  const remove = useCallback((key: string) => {
    const url = objectUrls.current.get(key);
    if (url) URL.revokeObjectURL(url);
    objectUrls.current.delete(key);
    setAttachments((current) => current.filter((attachment) => attachment.key !== key));
  }, []);
  const move = useCallback((key: string, by: -1 | 1) => {
    setAttachments((current) => {
      const index = current.findIndex((attachment) => attachment.key === key);
      const to = index + by;
      if (index < 0 || to < 0 || to >= current.length) return current;
      const next = [...current];
      [next[index], next[to]] = [next[to]!, next[index]!];
      return next;
    });
  }, []);
  const setAlt = useCallback((key: string, alt: string) => update(key, { alt }), [update]);
  const clear = useCallback(() => setAttachments([]), []);
  return { attachments, add, remove, move, setAlt, clear };
}
