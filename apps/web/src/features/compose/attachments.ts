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

/** The files of several parts, each part's own (named by the part's key); `initial`: part `main`'s files (a post being edited). */
export function useAttachmentGroups(initial: Record<string, Attachment[]> = {}) {
  const [groups, setGroups] = useState<Record<string, Attachment[]>>(initial);
  const objectUrls = useRef(new Map<string, string>());
  useEffect(() => {
    const urls = objectUrls.current;
    return () => urls.forEach((url) => URL.revokeObjectURL(url));
  }, []);
  const change = useCallback((group: string, edit: (current: Attachment[]) => Attachment[]) => {
    setGroups((current) => ({ ...current, [group]: edit(current[group] ?? []) }));
  }, []);
  const update = useCallback(
    (group: string, key: string, patch: Partial<Attachment>) => change(group, (current) => current.map((attachment) => (attachment.key === key ? { ...attachment, ...patch } : attachment))),
    [change],
  );
  const add = useCallback(
    (group: string, files: Iterable<File>) => {
      for (const file of files) {
        const key = `file-${(keys += 1)}`;
        const previewUrl = file.type.startsWith('image/') ? URL.createObjectURL(file) : null;
        if (previewUrl) objectUrls.current.set(key, previewUrl);
        change(group, (current) => [...current, { key, name: file.name, previewUrl, alt: '', status: 'uploading' }]);
        upload(file).then(
          (media) => update(group, key, { status: 'ready', media }),
          (error: unknown) => update(group, key, { status: 'failed', problem: problemOf(error) }),
        );
      }
    },
    [change, update],
  );
  const remove = useCallback(
    (group: string, key: string) => {
      const url = objectUrls.current.get(key);
      if (url) URL.revokeObjectURL(url);
      objectUrls.current.delete(key);
      change(group, (current) => current.filter((attachment) => attachment.key !== key));
    },
    [change],
  );
  const move = useCallback(
    (group: string, key: string, by: -1 | 1) =>
      change(group, (current) => {
        const index = current.findIndex((attachment) => attachment.key === key);
        const to = index + by;
        if (index < 0 || to < 0 || to >= current.length) return current;
        const next = [...current];
        [next[index], next[to]] = [next[to]!, next[index]!];
        return next;
      }),
    [change],
  );
  const setAlt = useCallback((group: string, key: string, alt: string) => update(group, key, { alt }), [update]);
  /** A removed part's files go with it. */
  const drop = useCallback(
    (group: string) => {
      for (const attachment of groups[group] ?? []) {
        const url = objectUrls.current.get(attachment.key);
        if (url) URL.revokeObjectURL(url);
        objectUrls.current.delete(attachment.key);
      }
      setGroups((current) => {
        const next = { ...current };
        delete next[group];
        return next;
      });
    },
    [groups],
  );
  const of = useCallback((group: string) => groups[group] ?? NONE, [groups]);
  return { of, add, remove, move, setAlt, drop };
}

const NONE: Attachment[] = [];

/** `initial`: the files a post being edited already has. */
export function useAttachments(initial: Attachment[] = []) {
  const groups = useAttachmentGroups({ main: initial });
  return {
    attachments: groups.of('main'),
    add: (files: Iterable<File>) => groups.add('main', files),
    remove: (key: string) => groups.remove('main', key),
    move: (key: string, by: -1 | 1) => groups.move('main', key, by),
    setAlt: (key: string, alt: string) => groups.setAlt('main', key, alt),
    clear: () => groups.drop('main'),
  };
}
