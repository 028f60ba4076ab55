// A Server-Sent Events parser (WHATWG rules): LF, CR or CRLF line ends, multi-line `data:`, comments,
// `event:`/`id:` fields, and events split anywhere across chunks.

export interface SseEvent {
  event: string;
  data: string;
  id: string | undefined;
}

export class SseParser {
  private buffer = '';
  private dataLines: string[] = [];
  private eventName = '';
  private lastId: string | undefined;
  private sawCr = false;

  /** Feeds decoded text; returns the events completed by it. */
  push(text: string): SseEvent[] {
    const events: SseEvent[] = [];
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 0x0a && this.sawCr) {
        // The LF of a CRLF whose CR ended the previous line (possibly in the previous chunk).
        this.sawCr = false;
        start = i + 1;
        continue;
      }
      this.sawCr = false;
      if (ch === 0x0a || ch === 0x0d) {
        const line = this.buffer + text.slice(start, i);
        this.buffer = '';
        this.sawCr = ch === 0x0d;
        start = i + 1;
        const event = this.processLine(line);
        if (event) events.push(event);
      }
    }
    this.buffer += text.slice(start);
    return events;
  }

  private processLine(line: string): SseEvent | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data':
        this.dataLines.push(value);
        break;
      case 'event':
        this.eventName = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastId = value;
        break;
      default:
        break; // `retry` and unknown fields are ignored
    }
    return undefined;
  }

  private dispatch(): SseEvent | undefined {
    if (this.dataLines.length === 0) {
      this.eventName = '';
      return undefined;
    }
    const event = { event: this.eventName || 'message', data: this.dataLines.join('\n'), id: this.lastId };
    this.dataLines = [];
    this.eventName = '';
    return event;
  }
}
