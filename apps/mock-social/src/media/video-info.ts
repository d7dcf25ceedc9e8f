/**
 * A video's duration and picture size, read from its MP4/QuickTime boxes
 * with mp4box (the `moov` box: the movie's duration and timescale, the first
 * video track's width and height), as a network's transcoder reads them.
 */
import { Log, MP4BoxBuffer, createFile } from 'mp4box';

export interface VideoInfo {
  durationMs: number;
  width: number;
  height: number;
}

// mp4box reports what it cannot parse through onError; its own log would only repeat it.
Log.setLogLevel(() => undefined);

/** The video's facts, or undefined when the bytes are no playable MP4/MOV (no movie box, no video track). */
export function videoInfo(data: Buffer): VideoInfo | undefined {
  const file = createFile();
  let info: VideoInfo | undefined;
  file.onError = () => undefined;
  file.onReady = (movie) => {
    const track = movie.videoTracks[0];
    if (!track?.video || !movie.timescale) return;
    info = { durationMs: Math.round((movie.duration * 1000) / movie.timescale), width: track.video.width, height: track.video.height };
  };
  try {
    const copy = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
    file.appendBuffer(MP4BoxBuffer.fromArrayBuffer(copy, 0));
    file.flush();
  } catch {
    return undefined;
  }
  return info;
}
