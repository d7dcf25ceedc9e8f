/** A file or URL the media library will not take, with the HTTP status the API answers and words a person can act on. */
export class MediaRefused extends Error {
  constructor(
    readonly status: 413 | 415 | 422 | 404 | 409 | 400,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'MediaRefused';
  }
}
