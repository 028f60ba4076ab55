// Which rows of the conversation's virtualised list belong in the DOM. The rows on screen always do; those
// within the overscan above and below them do as time allows, so a long thread paints its last screen first
// and the rows around it follow while the page is idle.

/** A run of rows, by index: `start` included, `end` not. */
export interface RowSpan {
  start: number;
  end: number;
}

/** Each row's top, in pixels, and the list's height last: `offsets[i]` is row i's top, `offsets[count]` the total. */
export function rowOffsets(count: number, heightOf: (index: number) => number): Float64Array {
  const offsets = new Float64Array(count + 1);
  for (let i = 0; i < count; i++) offsets[i + 1] = offsets[i]! + heightOf(i);
  return offsets;
}

/** The rows that overlap the pixels from `top` to `bottom`; at least one row when there are any. */
export function rowsWithin(offsets: Float64Array, top: number, bottom: number): RowSpan {
  const count = offsets.length - 1;
  if (count <= 0) return { start: 0, end: 0 };
  // The first row whose bottom is below `top`, and the first row at or after `bottom`.
  const start = Math.min(count - 1, firstAbove(offsets, top, 1) - 1);
  const end = Math.max(start + 1, firstAbove(offsets, bottom, 0, true));
  return { start, end: Math.min(end, count) };
}

/** The first index i ≥ from with offsets[i] > value (≥ value when `orEqual`), or offsets.length. */
function firstAbove(offsets: Float64Array, value: number, from: number, orEqual = false): number {
  let low = from;
  let high = offsets.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (orEqual ? offsets[mid]! >= value : offsets[mid]! > value) high = mid;
    else low = mid + 1;
  }
  return low;
}

/**
 * The run of rows to keep in the DOM: all of `visible`, then outwards within `wanted`, over rows already
 * mounted first (they cost nothing), then over new ones, nearest first, while `hasTime()` says so. `mount`
 * builds a new row as it is taken, so `hasTime()` sees the time it took.
 */
export function growSpan(visible: RowSpan, wanted: RowSpan, isMounted: (index: number) => boolean, mount: (index: number) => void, hasTime: () => boolean): RowSpan {
  let { start, end } = visible;
  while (start > wanted.start && isMounted(start - 1)) start--;
  while (end < wanted.end && isMounted(end)) end++;
  // Below first: at the end of the conversation (where it opens) nothing is below, and the rows above follow.
  let below = true;
  while ((start > wanted.start || end < wanted.end) && hasTime()) {
    if ((below && end < wanted.end) || start === wanted.start) mount(end++);
    else mount(--start);
    below = !below;
  }
  return { start, end };
}

/** The few DOM operations `placeRows` needs (a fake in tests). */
export interface RowContainer<T> {
  readonly children: ArrayLike<unknown>;
  prepend(...nodes: T[]): void;
  append(...nodes: T[]): void;
  replaceChildren(...nodes: T[]): void;
}

/**
 * Makes `nodes` the container's children, in order. Rows already in place in that order stay where they are
 * and the new ones go in around them: the browser then lays out only the new rows, not all of them again.
 */
export function placeRows<T>(container: RowContainer<T>, nodes: readonly T[]): void {
  // Counted before anything moves: a container's children are live.
  const current = container.children;
  const count = current.length;
  const first = count > 0 ? nodes.indexOf(current[0] as T) : -1;
  let inPlace = first >= 0 && first + count <= nodes.length;
  for (let i = 0; inPlace && i < count; i++) inPlace = current[i] === nodes[first + i];
  if (!inPlace) {
    container.replaceChildren(...nodes);
    return;
  }
  const end = first + count;
  if (end < nodes.length) container.append(...nodes.slice(end));
  if (first > 0) container.prepend(...nodes.slice(0, first));
}
