/** Pick or drop images and video; each gets its alt text, and says when the library refused it (type, size) in the API's words. */
import { useId, useState, type DragEvent } from 'react';
import { fieldMessages } from '../../api/problem';
import type { Problem } from '../../api/problem';
import { MediaThumbnail } from '../../ui/media-thumbnail';
import type { Attachment } from './attachments';
import { FieldErrors } from '../../ui/field';

interface Props {
  attachments: Attachment[];
  add: (files: Iterable<File>) => void;
  remove: (key: string) => void;
  move: (key: string, by: -1 | 1) => void;
  setAlt: (key: string, alt: string) => void;
  /** The post's problem: messages for `<path>[i]` are shown at item i. */
  problem?: Problem;
  /** Where the API names these files: `media`, or a part's `parts[n].media`. */
  path?: string;
  legend?: string;
}

export function MediaPicker({ attachments, add, remove, move, setAlt, problem, path = 'media', legend = 'Images and video' }: Props) {
  const inputId = useId();
  const [dragging, setDragging] = useState(false);
  const dropped = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    if (event.dataTransfer.files.length > 0) add(event.dataTransfer.files);
  };
  return (
    <fieldset className="media-picker">
      <legend>{legend}</legend>
      <div
        className={`drop-zone ${dragging ? 'dragging' : ''}`}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={dropped}
      >
        <label htmlFor={inputId} className="button">
          Add images or video
        </label>
        <input
          id={inputId}
          className="visually-hidden-input"
          type="file"
          multiple
          accept="image/jpeg,image/png,image/gif,image/webp,image/avif,image/tiff,video/mp4,video/quicktime"
          onChange={(event) => {
            if (event.target.files) add(Array.from(event.target.files));
            event.target.value = '';
          }}
        />
        <span className="muted">or drop files here</span>
      </div>
      {attachments.length > 0 ? (
        <ol className="attachments">
          {attachments.map((attachment, index) => {
            const itemErrors = fieldMessages(problem, `${path}[${index}]`);
            const label = attachment.name || `File ${index + 1}`;
            return (
              <li key={attachment.key} className={`attachment ${attachment.status}`}>
                <div className="attachment-preview">
                  {attachment.previewUrl ? (
                    <img src={attachment.previewUrl} alt="" />
                  ) : attachment.media?.thumbnailUrl ? (
                    <MediaThumbnail mediaId={attachment.media.id} alt="" />
                  ) : (
                    <span className="attachment-kind">{attachment.media?.type === 'video' ? 'Video' : 'File'}</span>
                  )}
                </div>
                <div className="attachment-body">
                  <p className="attachment-name">
                    {label}
                    {attachment.status === 'uploading' ? <span role="status"> — uploading…</span> : null}
                    {attachment.media ? (
                      <span className="muted">
                        {' '}
                        — {attachment.media.mimeType}
                        {attachment.media.width ? `, ${attachment.media.width}×${attachment.media.height}` : ''}
                      </span>
                    ) : null}
                  </p>
                  {attachment.status === 'failed' ? (
                    <p className="field-errors" role="alert">
                      {attachment.problem?.title}: {attachment.problem?.detail}
                    </p>
                  ) : (
                    <div className="field">
                      <label htmlFor={`${inputId}-alt-${attachment.key}`}>Alt text for {label}</label>
                      <textarea
                        id={`${inputId}-alt-${attachment.key}`}
                        rows={2}
                        value={attachment.alt}
                        placeholder="What the image shows, for people who cannot see it"
                        aria-invalid={itemErrors.length > 0 ? true : undefined}
                        onChange={(event) => setAlt(attachment.key, event.target.value)}
                      />
                    </div>
                  )}
                  <FieldErrors messages={itemErrors} />
                  <div className="row">
                    <button type="button" className="button small" disabled={index === 0} onClick={() => move(attachment.key, -1)} aria-label={`Move ${label} earlier`}>
                      Earlier
                    </button>
                    <button type="button" className="button small" disabled={index === attachments.length - 1} onClick={() => move(attachment.key, 1)} aria-label={`Move ${label} later`}>
                      Later
                    </button>
                    <button type="button" className="button small danger" onClick={() => remove(attachment.key)} aria-label={`Remove ${label}`}>
                      Remove
                    </button>
                  </div>
                </div>
              </li>
            );
          })}
        </ol>
      ) : null}
    </fieldset>
  );
}
