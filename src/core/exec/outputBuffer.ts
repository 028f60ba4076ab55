// A process's retained output: the first and the last part under a cap in bytes (server configuration,
// never request input), with what was dropped from the middle counted and shown. Kept as bytes in
// buffers allocated once, so a command that prints gigabytes leaves no garbage behind per chunk.
import { StringDecoder } from 'node:string_decoder';

export class HeadTailBuffer {
  private readonly headChunks: Buffer[] = [];
  private headBytes = 0;
  /** The tail as a ring, allocated when the head is full. */
  private ring: Buffer | undefined;
  private ringEnd = 0;
  private ringFull = false;
  private total = 0;
  private readonly headCap: number;
  private readonly tailCap: number;

  constructor(capBytes: number) {
    this.headCap = Math.floor(capBytes / 2);
    this.tailCap = Math.max(1, capBytes - this.headCap);
  }

  append(data: Buffer | string): void {
    let bytes = typeof data === 'string' ? Buffer.from(data) : data;
    this.total += bytes.length;
    if (this.headBytes < this.headCap) {
      const take = Math.min(this.headCap - this.headBytes, bytes.length);
      // A copy: the caller's chunk may be a slice of a larger buffer it reuses.
      this.headChunks.push(Buffer.from(bytes.subarray(0, take)));
      this.headBytes += take;
      bytes = bytes.subarray(take);
    }
    if (bytes.length === 0) return;
    this.ring ??= Buffer.allocUnsafe(this.tailCap);
    if (bytes.length >= this.tailCap) {
      bytes.copy(this.ring, 0, bytes.length - this.tailCap);
      this.ringEnd = 0;
      this.ringFull = true;
      return;
    }
    const first = Math.min(bytes.length, this.tailCap - this.ringEnd);
    bytes.copy(this.ring, this.ringEnd, 0, first);
    if (first < bytes.length) {
      bytes.copy(this.ring, 0, first);
      this.ringFull = true;
    }
    const end = this.ringEnd + bytes.length;
    if (end >= this.tailCap) this.ringFull = true;
    this.ringEnd = end % this.tailCap;
  }

  get totalBytes(): number {
    return this.total;
  }

  get droppedBytes(): number {
    return Math.max(0, this.total - this.headBytes - this.tailLength());
  }

  text(): string {
    const { head, tail, dropped } = this.parts();
    return dropped === 0 ? head + tail : `${head}\n[… ${dropped} bytes omitted …]\n${tail}`;
  }

  /** The head and tail as text; when bytes were dropped between them, neither shows half a character. */
  parts(): { head: string; tail: string; dropped: number } {
    const headBytes = Buffer.concat(this.headChunks, this.headBytes);
    const tailBytes = this.tailBytes();
    const dropped = this.droppedBytes;
    if (dropped === 0) return { head: Buffer.concat([headBytes, tailBytes]).toString('utf8'), tail: '', dropped };
    // The head's last character may be cut: the decoder keeps an incomplete one back, and it is left out.
    const head = new StringDecoder('utf8').write(headBytes);
    // The tail may start inside a character: skip its continuation bytes.
    let start = 0;
    while (start < Math.min(3, tailBytes.length) && (tailBytes[start]! & 0xc0) === 0x80) start++;
    return { head, tail: tailBytes.subarray(start).toString('utf8'), dropped };
  }

  private tailLength(): number {
    return this.ringFull ? this.tailCap : this.ringEnd;
  }

  private tailBytes(): Buffer {
    if (!this.ring) return Buffer.alloc(0);
    if (!this.ringFull) return this.ring.subarray(0, this.ringEnd);
    return Buffer.concat([this.ring.subarray(this.ringEnd), this.ring.subarray(0, this.ringEnd)]);
  }
}

/** Cuts the middle out of a text longer than `maxChars`, saying how much went. */
export function truncateMiddle(text: string, maxChars: number): { text: string; truncated: boolean } {
  if (text.length <= maxChars) return { text, truncated: false };
  const half = Math.floor(maxChars / 2);
  const omitted = text.length - 2 * half;
  return { text: `${text.slice(0, half)}\n[… ${omitted} characters truncated …]\n${text.slice(text.length - half)}`, truncated: true };
}

/**
 * What a command printed during one tool call, kept for the model: as bytes, all of it up to four bytes
 * per character of the model's limit, then the first and last part, so a command that prints gigabytes
 * costs bounded memory. `cut` gives the output cut in the middle to the limit, as `truncateMiddle` does.
 */
export class CollectedOutput {
  private readonly buffer: HeadTailBuffer;

  constructor(private readonly limitChars: number) {
    this.buffer = new HeadTailBuffer(4 * limitChars);
  }

  append(data: Buffer | string): void {
    this.buffer.append(data);
  }

  get totalBytes(): number {
    return this.buffer.totalBytes;
  }

  /** The output cut in the middle to at most `limitChars` characters, saying how much went. */
  cut(): { text: string; truncated: boolean } {
    const { head, tail, dropped } = this.buffer.parts();
    if (dropped === 0) return truncateMiddle(head, this.limitChars);
    const half = Math.floor(this.limitChars / 2);
    const shownHead = head.slice(0, half);
    const shownTail = tail.slice(Math.max(0, tail.length - half));
    const omitted = this.totalBytes - Buffer.byteLength(shownHead) - Buffer.byteLength(shownTail);
    return { text: `${shownHead}\n[… ${omitted} bytes truncated …]\n${shownTail}`, truncated: true };
  }

  /** Its start and end, for checks that read the output's wording (the sandbox-denial heuristic). */
  sample(): string {
    const { head, tail } = this.buffer.parts();
    return tail === '' ? head : `${head}\n${tail}`;
  }
}

/** The most characters of one call's output a model is shown, whatever it asks for (1 Mi, about 256k tokens). */
export const MAX_MODEL_OUTPUT_CHARS = 1024 * 1024;
