// A message over the size bound is not parsed, but its id and method usually sit in its first or last
// bytes (the bulk is in `params`): reading the top-level scalars there lets the server answer it.

/** How much of an oversized message is kept at each end to find its id and method. */
export const ENVELOPE_PEEK_BYTES = 4096;

export interface RecoveredEnvelope {
  id: string | number;
  method: string | undefined;
}

/** The top-level `id` (and `method`) of a JSON object seen only by its head and tail; undefined when absent. */
export function recoverEnvelope(head: string, tail: string): RecoveredEnvelope | undefined {
  const fields = { ...scalarsFromTail(tail), ...scalarsFromHead(head) };
  const id = fields.id;
  if (typeof id !== 'string' && typeof id !== 'number') return undefined;
  return { id, method: typeof fields.method === 'string' ? fields.method : undefined };
}

/** `{"key": scalar, …` read forward until the first value that is not a scalar. */
function scalarsFromHead(text: string): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  let i = skipSpace(text, 0);
  if (text[i] !== '{') return fields;
  i += 1;
  for (;;) {
    i = skipSpace(text, i);
    const key = readString(text, i);
    if (!key || typeof key.value !== 'string') return fields;
    i = skipSpace(text, key.end);
    if (text[i] !== ':') return fields;
    i = skipSpace(text, i + 1);
    const value = text[i] === '"' ? readString(text, i) : readWord(text, i);
    if (!value) return fields;
    fields[key.value] = value.value;
    i = skipSpace(text, value.end);
    if (text[i] !== ',') return fields;
    i += 1;
  }
}

/** `…, "key": scalar}` read backward until the first value that is not a scalar. */
function scalarsFromTail(text: string): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  let i = skipSpaceBack(text, text.length - 1);
  if (text[i] !== '}') return fields;
  i -= 1;
  for (;;) {
    i = skipSpaceBack(text, i);
    const value = text[i] === '"' ? readStringBack(text, i) : readWordBack(text, i);
    if (!value) return fields;
    i = skipSpaceBack(text, value.start - 1);
    if (text[i] !== ':') return fields;
    i = skipSpaceBack(text, i - 1);
    const key = text[i] === '"' ? readStringBack(text, i) : undefined;
    if (!key || typeof key.value !== 'string') return fields;
    fields[key.value] = value.value;
    i = skipSpaceBack(text, key.start - 1);
    if (text[i] !== ',') return fields;
    i -= 1;
  }
}

function readString(text: string, start: number): { value: unknown; end: number } | undefined {
  if (text[start] !== '"') return undefined;
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i += 1;
    else if (text[i] === '"') return parsed(text.slice(start, i + 1), i + 1);
  }
  return undefined;
}

function readWord(text: string, start: number): { value: unknown; end: number } | undefined {
  const match = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(start, start + 64));
  return match ? parsed(match[0], start + match[0].length) : undefined;
}

function readStringBack(text: string, end: number): { value: unknown; start: number } | undefined {
  for (let i = end - 1; i >= 0; i--) {
    if (text[i] !== '"') continue;
    let slashes = 0;
    while (i - 1 - slashes >= 0 && text[i - 1 - slashes] === '\\') slashes += 1;
    if (slashes % 2 === 1) continue;
    const value = parsed(text.slice(i, end + 1), 0);
    return value && { value: value.value, start: i };
  }
  return undefined;
}

function readWordBack(text: string, end: number): { value: unknown; start: number } | undefined {
  let start = end;
  while (start > 0 && /[\w.+-]/.test(text[start - 1]!)) start -= 1;
  if (start > end) return undefined;
  const value = parsed(text.slice(start, end + 1), 0);
  return value && { value: value.value, start };
}

function parsed<T extends number>(raw: string, end: T): { value: unknown; end: T } | undefined {
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'object' && value !== null ? undefined : { value, end };
  } catch {
    return undefined;
  }
}

const skipSpace = (text: string, i: number) => {
  while (i < text.length && /\s/.test(text[i]!)) i += 1;
  return i;
};
const skipSpaceBack = (text: string, i: number) => {
  while (i >= 0 && /\s/.test(text[i]!)) i -= 1;
  return i;
};
