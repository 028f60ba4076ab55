// A process's retained output: the first and the last part under a cap (server configuration, never
// request input), with what was dropped from the middle counted and shown.

export class HeadTailBuffer {
  private head = '';
  private tail = '';
  private dropped = 0;
  private total = 0;

  constructor(private readonly capChars: number) {}

  append(text: string): void {
    this.total += text.length;
    const half = Math.floor(this.capChars / 2);
    if (this.head.length < half) {
      const take = Math.min(half - this.head.length, text.length);
      this.head += text.slice(0, take);
      text = text.slice(take);
    }
    if (text.length === 0) return;
    this.tail += text;
    const keep = this.capChars - half;
    if (this.tail.length > keep) {
      this.dropped += this.tail.length - keep;
      this.tail = this.tail.slice(this.tail.length - keep);
    }
  }

  get totalChars(): number {
    return this.total;
  }

  get droppedChars(): number {
    return this.dropped;
  }

  text(): string {
    return this.dropped > 0 ? `${this.head}\n[… ${this.dropped} characters omitted …]\n${this.tail}` : this.head + this.tail;
  }
}

/** Cuts the middle out of a text longer than `maxChars`, saying how much went. */
export function truncateMiddle(text: string, maxChars: number): { text: string; truncated: boolean } {
  if (text.length <= maxChars) return { text, truncated: false };
  const half = Math.floor(maxChars / 2);
  const omitted = text.length - 2 * half;
  return { text: `${text.slice(0, half)}\n[… ${omitted} characters truncated …]\n${text.slice(text.length - half)}`, truncated: true };
}
