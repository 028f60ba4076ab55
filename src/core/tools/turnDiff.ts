// The turn's aggregate diff: for every file the turn changed, its content before the turn's first change
// against its content now. Re-sent whole (`turn/diff/updated`) after each change.
import * as path from 'node:path';
import type { PlannedChange } from './applyPatch/applier';
import { unifiedDiff } from './applyPatch/applier';

export class TurnDiffTracker {
  private readonly files = new Map<string, { before: string | null; after: string | null; displayPath: string }>();

  constructor(private readonly cwd: string) {}

  record(plan: readonly PlannedChange[]): void {
    for (const change of plan) {
      this.note(change.path, change.oldContent, change.movePath ? null : change.newContent);
      if (change.movePath) this.note(change.movePath, null, change.newContent, true);
    }
  }

  private note(file: string, before: string | null, after: string | null, newFile = false): void {
    const existing = this.files.get(file);
    if (existing) existing.after = after;
    else this.files.set(file, { before: newFile ? null : before, after, displayPath: path.relative(this.cwd, file) || file });
  }

  get hasChanges(): boolean {
    return this.files.size > 0;
  }

  aggregate(): string {
    return [...this.files.values()]
      .filter((f) => f.before !== f.after)
      .map((f) => unifiedDiff(f.displayPath, f.displayPath, f.before ?? '', f.after ?? ''))
      .join('\n');
  }
}
