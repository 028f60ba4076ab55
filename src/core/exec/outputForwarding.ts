// A running command's output, forwarded to clients as deltas: at most MAX_FORWARDED_OUTPUT_CHARS per
// command, then one visible marker; and while a client is behind, the process's output is not read, so
// the command pauses instead of its output piling up in the server. What the model reads is not capped
// here: it keeps the head and tail of the whole output (the process's own buffer).
import type { ManagedProcess } from './processManager';

/**
 * Why 1 MiB: enough for any output a person reads in a chat card or terminal pane, small enough that a
 * command printing hundreds of megabytes costs each client a bounded amount. The whole output's head and
 * tail still arrive in the item's `aggregatedOutput` when it completes.
 */
export const MAX_FORWARDED_OUTPUT_CHARS = 1024 * 1024;

export function truncationMarker(limit = MAX_FORWARDED_OUTPUT_CHARS): string {
  return `\n[output truncated: only the first ${Math.round(limit / 1024)} KiB are shown while the command runs; its end is shown when it finishes]\n`;
}

export interface ForwardingOptions {
  /** A promise while any client that receives the deltas is behind its bound; undefined when none is. */
  clientsBehind?: () => Promise<void> | undefined;
  /** Reading resumes on abort too, so a stopped turn's command can end. */
  signal?: AbortSignal;
  limit?: number;
}

/** Sends the process's output through `send` under the cap; returns a function that stops forwarding. */
export function forwardOutput(proc: ManagedProcess, send: (delta: string) => void, options: ForwardingOptions = {}): () => void {
  const limit = options.limit ?? MAX_FORWARDED_OUTPUT_CHARS;
  let forwarded = 0;
  let truncated = false;
  let stopped: Promise<void> | undefined;
  const stop = proc.onOutput((text) => {
    if (truncated) return;
    const room = limit - forwarded;
    if (text.length > room) {
      truncated = true;
      // Cut on a code point boundary: half of a surrogate pair is not text.
      let head = text.slice(0, Math.max(0, room));
      if (/[\uD800-\uDBFF]$/.test(head)) head = head.slice(0, -1);
      send(head + truncationMarker(limit));
      // Nothing more goes out: stop listening, so the rest of the output is not even decoded.
      stop();
      return;
    }
    forwarded += text.length;
    send(text);
    const behind = options.clientsBehind?.();
    if (!behind) return;
    if (options.signal) stopped ??= aborted(options.signal);
    proc.holdOutput(stopped ? Promise.race([behind, stopped]) : behind);
  });
  return stop;
}

function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
