import type { DownloadErrorCode } from './types.js';

/**
 * A failure inside the download pipeline. The code is what the job reports; the message is
 * written for the person reading `download(id).error` and never includes local paths.
 */
export class DownloadError extends Error {
  override readonly name = 'DownloadError';
  constructor(
    readonly code: DownloadErrorCode,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
  }
}

export function isDownloadError(error: unknown): error is DownloadError {
  return error instanceof DownloadError;
}
