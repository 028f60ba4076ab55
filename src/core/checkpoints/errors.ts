// The one error type checkpoints throw: a kind the caller can branch on and a message a user can read.

export type CheckpointErrorKind =
  /** No `git` on the PATH. */
  | 'gitMissing'
  /** The workspace does not exist or is not a directory. */
  | 'notADirectory'
  /** The workspace holds more than the snapshot bounds allow. */
  | 'tooLarge'
  /** A git command took longer than its bound. */
  | 'timeout'
  /** A git command failed; the message carries git's stderr, shortened. */
  | 'gitFailed'
  /** A checkpoint, turn or commit that does not exist, or a malformed argument. */
  | 'invalid';

export class CheckpointError extends Error {
  constructor(
    readonly kind: CheckpointErrorKind,
    message: string,
    /** For `gitFailed`: git's whole stderr. */
    readonly stderr = '',
  ) {
    super(message);
    this.name = 'CheckpointError';
  }
}

/** The first lines of git's stderr, enough to say what went wrong without flooding a message. */
export function briefStderr(stderr: string, maxChars = 400): string {
  const text = stderr
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('hint:'))
    .join('\n')
    .trim();
  return text.length > maxChars ? `${text.slice(0, maxChars)}…` : text;
}
