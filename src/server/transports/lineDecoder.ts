// Splits a byte stream into newline-terminated lines (JSONL). A line longer than the cap is skipped
// whole rather than buffered without bound.

/** Lines past this are dropped: far above the 1 MiB request limit, so that limit can still be answered. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

export interface LineDecoderHandlers {
  onLine(line: string, bytes: number): void;
  onOversizedLine(bytes: number): void;
}

export class LineDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private skipping = false;
  private skipped = 0;

  constructor(
    private readonly handlers: LineDecoderHandlers,
    private readonly maxLineBytes = MAX_LINE_BYTES,
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
      return;
    }
    if (this.buffered + part.length > this.maxLineBytes) {
      this.skipping = true;
      this.skipped = this.buffered + part.length;
      this.chunks = [];
      this.buffered = 0;
      return;
    }
    this.chunks.push(Buffer.from(part));
    this.buffered += part.length;
  }

  private finishLine(): void {
    if (this.skipping) {
      const bytes = this.skipped;
      this.skipping = false;
      this.skipped = 0;
      this.handlers.onOversizedLine(bytes);
      return;
    }
    const bytes = this.buffered;
    const line = Buffer.concat(this.chunks, bytes).toString('utf8');
    this.chunks = [];
    this.buffered = 0;
    this.handlers.onLine(line.endsWith('\r') ? line.slice(0, -1) : line, bytes);
  }
}
