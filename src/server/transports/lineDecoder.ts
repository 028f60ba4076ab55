// Splits a byte stream into newline-terminated lines (JSONL). A line longer than the cap is skipped
// whole rather than buffered without bound; only its first and last bytes are kept, so it can be answered.
import { MAX_MESSAGE_BYTES } from '../../protocol';
import { ENVELOPE_PEEK_BYTES } from './oversized';

export interface LineDecoderHandlers {
  onLine(line: string, bytes: number): void;
  /** `head` and `tail` are the line's first and last bytes (up to ENVELOPE_PEEK_BYTES each). */
  onOversizedLine(bytes: number, head: string, tail: string): void;
}

export class LineDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private skipping = false;
  private skipped = 0;
  private head = Buffer.alloc(0);
  private tail = Buffer.alloc(0);

  constructor(
    private readonly handlers: LineDecoderHandlers,
    private readonly maxLineBytes = MAX_MESSAGE_BYTES,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(0x0a, start);
      const end = newline === -1 ? chunk.length : newline;
      this.append(chunk.subarray(start, end));
      if (newline === -1) return;
      this.finishLine();
      start = newline + 1;
    }
  }

  /** The stream ended: a last line without a newline still counts. */
  end(): void {
    if (this.buffered > 0 || this.skipping) this.finishLine();
  }

  private append(part: Buffer): void {
    if (part.length === 0) return;
    if (this.skipping) {
      this.skipped += part.length;
      this.keepTail(part);
      return;
    }
    if (this.buffered + part.length > this.maxLineBytes) {
      const sofar = Buffer.concat([...this.chunks, part]);
      this.skipping = true;
      this.skipped = sofar.length;
      this.head = Buffer.from(sofar.subarray(0, ENVELOPE_PEEK_BYTES));
      this.tail = Buffer.alloc(0);
      this.keepTail(sofar);
      this.chunks = [];
      this.buffered = 0;
      return;
    }
    this.chunks.push(Buffer.from(part));
    this.buffered += part.length;
  }

  private keepTail(part: Buffer): void {
    const joined = part.length >= ENVELOPE_PEEK_BYTES ? part : Buffer.concat([this.tail, part]);
    this.tail = Buffer.from(joined.subarray(Math.max(0, joined.length - ENVELOPE_PEEK_BYTES)));
  }

  private finishLine(): void {
    if (this.skipping) {
      const bytes = this.skipped;
      const head = this.head.toString('utf8');
      const tail = this.tail.toString('utf8').replace(/\r$/, '');
      this.skipping = false;
      this.skipped = 0;
      this.head = Buffer.alloc(0);
      this.tail = Buffer.alloc(0);
      this.handlers.onOversizedLine(bytes, head, tail);
      return;
    }
    const bytes = this.buffered;
    const line = Buffer.concat(this.chunks, bytes).toString('utf8');
    this.chunks = [];
    this.buffered = 0;
    this.handlers.onLine(line.endsWith('\r') ? line.slice(0, -1) : line, bytes);
  }
}
