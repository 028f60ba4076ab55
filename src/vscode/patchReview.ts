// Patch review in the diff editor: the left side is the file as it is, the right side the proposed
// content from a read-only `tandem-proposed:` document. Accept / Accept for Session / Reject are
// editor-title actions (and a notification); closing the editor leaves the request pending.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FileUpdateChange } from '../protocol';
import { proposedFiles, appliedFile, type ProposedFile } from './proposedChanges';

export const PROPOSED_SCHEME = 'tandem-proposed';

/** Serves proposed (and "before") contents; documents are read-only because only a provider backs them. */
export class ProposedContentProvider implements vscode.TextDocumentContentProvider {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  /** `tandem-proposed:/<key>/<side>/<file path>`: the file name keeps language detection working. */
  put(key: string, side: 'before' | 'proposed', file: string, content: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: PROPOSED_SCHEME, path: `/${key}/${side}${file.startsWith('/') ? '' : '/'}${file}` });
    this.contents.set(uri.toString(), content);
    this.changed.fire(uri);
    return uri;
  }

  forget(key: string): void {
    for (const uri of this.contents.keys()) if (vscode.Uri.parse(uri).path.startsWith(`/${key}/`)) this.contents.delete(uri);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** The review key an editor-title action was invoked on: the first path segment of its proposed URI. */
export function reviewKeyOf(uri: vscode.Uri | undefined): string | undefined {
  if (uri?.scheme !== PROPOSED_SCHEME) return undefined;
  return uri.path.split('/')[1] || undefined;
}

export class PatchReviewer {
  constructor(
    private readonly provider: ProposedContentProvider,
    private readonly workspaceRoot: string | undefined,
  ) {}

  /** Opens the pending change for review: one file in `vscode.diff`, several in the multi-file changes editor. */
  async openPending(key: string, changes: readonly FileUpdateChange[]): Promise<void> {
    const files = await proposedFiles(changes);
    const entries = files.map((file) => this.entry(key, file));
    await this.show(`Tandem: proposed change`, entries);
  }

  /** Shows a change that was already written: before (reconstructed) against the file now. */
  async openApplied(key: string, change: FileUpdateChange): Promise<void> {
    const { before, path: target } = await appliedFile(change);
    const left = this.provider.put(key, 'before', this.label(target), before);
    await vscode.commands.executeCommand('vscode.diff', left, vscode.Uri.file(target), `${this.label(target)} (Tandem's change)`, { preview: true });
  }

  /** Closes every tab that shows a document of this review and drops their contents. */
  async close(key: string): Promise<void> {
    const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => showsReview(tab, key));
    if (tabs.length > 0) await vscode.window.tabGroups.close(tabs, true);
    this.provider.forget(key);
  }

  private entry(key: string, file: ProposedFile): { resource: vscode.Uri; left: vscode.Uri; right: vscode.Uri; title: string } {
    // Workspace-relative paths keep the editor's labels short; the provider only needs them to be unique.
    const left = file.kind === 'add' ? this.provider.put(key, 'before', this.label(file.path), '') : vscode.Uri.file(file.path);
    const right = this.provider.put(key, 'proposed', this.label(file.targetPath), file.proposed);
    const verb = file.kind === 'add' ? 'new file' : file.kind === 'delete' ? 'deleted' : file.targetPath !== file.path ? `moved from ${this.label(file.path)}` : 'proposed';
    return { resource: vscode.Uri.file(file.targetPath), left, right, title: `${this.label(file.targetPath)} (${verb})` };
  }

  private async show(title: string, entries: Array<{ resource: vscode.Uri; left: vscode.Uri; right: vscode.Uri; title: string }>): Promise<void> {
    if (entries.length === 1) {
      const [only] = entries;
      await vscode.commands.executeCommand('vscode.diff', only!.left, only!.right, only!.title, { preview: false });
      return;
    }
    await vscode.commands.executeCommand('vscode.changes', title, entries.map((e) => [e.resource, e.left, e.right]));
  }

  private label(file: string): string {
    return this.workspaceRoot && file.startsWith(this.workspaceRoot + path.sep) ? file.slice(this.workspaceRoot.length + 1) : file;
  }
}

function showsReview(tab: vscode.Tab, key: string): boolean {
  const ofReview = (uri: unknown) => uri instanceof vscode.Uri && reviewKeyOf(uri) === key;
  const input = tab.input;
  if (input instanceof vscode.TabInputTextDiff) return ofReview(input.modified) || ofReview(input.original);
  if (input instanceof vscode.TabInputText) return ofReview(input.uri);
  // The multi-file changes editor's input (TabInputTextMultiDiff) is not in every API version: look at its shape.
  const diffs = (input as { textDiffs?: Array<{ original?: unknown; modified?: unknown }> } | undefined)?.textDiffs;
  return Array.isArray(diffs) && diffs.some((d) => ofReview(d.modified) || ofReview(d.original));
}
