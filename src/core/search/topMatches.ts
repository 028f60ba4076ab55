// The best few of many scored paths, kept as they arrive: the same ones, in the same order, as sorting them
// all (a stable sort: best score, then shorter path, then path order, then arrival) and keeping the first.
// Path order is code-unit order (as codex compares paths, byte-wise; a collator would load ICU into the server
// on the first search), so only equal paths (of different roots) are told apart by arrival: the files of one
// root may arrive in any order.
import { compareCodeUnits } from '../codeUnitOrder';

export interface Candidate {
  root: string;
  path: string;
  score: number;
}

export function compareCandidates(a: Candidate, b: Candidate): number {
  return b.score - a.score || a.path.length - b.path.length || compareCodeUnits(a.path, b.path);
}

export class TopMatches<T extends Candidate> {
  private readonly best: T[] = [];

  constructor(private readonly limit: number) {}

  add(candidate: T): void {
    const { best } = this;
    // A candidate no better than the last kept one would sort after it (arrival breaks ties).
    if (best.length === this.limit && compareCandidates(candidate, best[best.length - 1]!) >= 0) return;
    let low = 0;
    let high = best.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compareCandidates(candidate, best[middle]!) < 0) high = middle;
      else low = middle + 1;
    }
    // Shift the worse ones down by hand: a splice would allocate the (empty) array of what it removed.
    let at = best.length < this.limit ? best.length : best.length - 1;
    if (at === best.length) best.push(candidate);
    for (; at > low; at--) best[at] = best[at - 1]!;
    best[low] = candidate;
  }

  /** Whether a candidate with this score and path could still be kept: cheaper than building it. */
  wants(score: number, path: string): boolean {
    if (this.best.length < this.limit) return true;
    const last = this.best[this.best.length - 1]!;
    return score > last.score || (score === last.score && path.length <= last.path.length);
  }

  values(): readonly T[] {
    return this.best;
  }
}
