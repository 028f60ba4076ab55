// Patch review in the diff editor: the left side is the file as it is, the right side the proposed
// content from a read-only `tandem-proposed:` document. A change to several files opens in the multi-file
// changes editor, each file labelled as VS Code labels any change: added, deleted, or (no letter) modified,
// with its workspace-relative path. Accept / Accept for Session / Choose Files / Reject are editor-title
// actions; closing the editor leaves the request pending.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FileUpdateChange } from '../protocol';
import { proposedFiles, appliedFile, type ProposedFile } from './proposedChanges';

export const PROPOSED_SCHEME = 'tandem-proposed';
const BOM = '\uFEFF';

/** Text as the editor shows it: no byte-order mark, one kind of line end. */
function comparable(text: string): string {
  return (text.startsWith(BOM) ? text.slice(1) : text).replace(/\r\n/g, '\n');
}

/**
 * One side of a file in the changes editor. `undefined` on one side makes VS Code label the file added (no
 * original) or deleted (no modified); two sides whose paths differ make it a rename.
 */
export interface ChangeEntry {
  /** The file the entry opens when the user goes to it. */
  resource: vscode.Uri;
  original: vscode.Uri | undefined;
  modified: vscode.Uri | undefined;
}

/**
 * Serves proposed (and "before") contents as an in-memory file system: the proposed side of a review is
 * editable (the user's edits and rejected hunks are what gets written), the "before" side is read-only.
 */
export class ProposedContentProvider implements vscode.FileSystemProvider {
  /** Each document's text and when it was last written, by URI. */
  private readonly files = new Map<string, { text: string; mtime: number }>();
  private readonly fileChanges = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.fileChanges.event;

  /**
   * `tandem-proposed:<the file's own path>?key=<review>&side=<side>`. The path is the file's, so the changes
   * editor labels the document as it labels the file (workspace-relative, not a rename) and the language is
   * detected from the name; the query keeps reviews and sides apart.
   */
  put(key: string, side: 'before' | 'proposed', file: string, content: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: PROPOSED_SCHEME, path: vscode.Uri.file(file).path, query: new URLSearchParams({ key, side }).toString() });
    // A review shown again keeps what the user already did to its proposed side.
    if (side === 'proposed' && this.files.has(uri.toString())) return uri;
    this.files.set(uri.toString(), { text: content, mtime: Date.now() });
    this.fileChanges.fire([{ type: vscode.FileChangeType.Changed, uri }]);
    return uri;
  }

  /** What a document holds now in the provider (its last saved content). */
  content(uri: vscode.Uri): string | undefined {
    return this.files.get(uri.toString())?.text;
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    const file = this.files.get(uri.toString());
    if (!file) throw vscode.FileSystemError.FileNotFound(uri);
    const readOnly = new URLSearchParams(uri.query).get('side') !== 'proposed';
    return { type: vscode.FileType.File, ctime: file.mtime, mtime: file.mtime, size: Buffer.byteLength(file.text), ...(readOnly ? { permissions: vscode.FilePermission.Readonly } : {}) };
  }

  readFile(uri: vscode.Uri): Uint8Array {
    const file = this.files.get(uri.toString());
    if (!file) throw vscode.FileSystemError.FileNotFound(uri);
    return Buffer.from(file.text, 'utf8');
  }

  /** Saving the proposed side keeps the user's edits (nothing reaches the disk until the change is accepted). */
  writeFile(uri: vscode.Uri, bytes: Uint8Array): void {
    if (new URLSearchParams(uri.query).get('side') !== 'proposed' || !this.files.has(uri.toString())) throw vscode.FileSystemError.NoPermissions(uri);
    this.files.set(uri.toString(), { text: Buffer.from(bytes).toString('utf8'), mtime: Date.now() });
    this.fileChanges.fire([{ type: vscode.FileChangeType.Changed, uri }]);
  }

  watch(): vscode.Disposable {
    return { dispose: () => undefined };
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  delete(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  forget(key: string): void {
    for (const uri of this.files.keys()) if (reviewKeyOf(vscode.Uri.parse(uri)) === key) this.files.delete(uri);
  }

  dispose(): void {
    this.fileChanges.dispose();
  }
}

/** The review key an editor-title action was invoked on: the `key` of its proposed URI's query. */
export function reviewKeyOf(uri: vscode.Uri | undefined): string | undefined {
  if (uri?.scheme !== PROPOSED_SCHEME) return undefined;
  return new URLSearchParams(uri.query).get('key') || undefined;
}

/** One file of a pending review: where its proposed side is, what was proposed, and the file it changes. */
export interface ReviewedFile {
  /** The change's `path`, as the approval answer names it. */
  changePath: string;
  proposedUri: vscode.Uri;
  proposal: string;
  /** The file before the change (empty for a new file): what the hunks are counted against. */
  original: string;
}

export class PatchReviewer {
  private readonly reviewed = new Map<string, ReviewedFile[]>();

  constructor(
    private readonly provider: ProposedContentProvider,
    /** Labels are relative to it. */
    readonly workspaceRoot: string | undefined,
  ) {}

  /** Opens the pending change for review: one file in `vscode.diff`, several in the multi-file changes editor. */
  async openPending(key: string, changes: readonly FileUpdateChange[]): Promise<void> {
    const files = await proposedFiles(changes);
    this.reviewed.set(
      key,
      files.filter((file) => file.kind !== 'delete').map((file) => ({ changePath: file.path, proposedUri: this.provider.put(key, 'proposed', file.targetPath, file.proposed), proposal: file.proposed, original: file.current })),
    );
    if (files.length === 1) {
      const [file] = files as [ProposedFile];
      const left = file.kind === 'add' ? this.provider.put(key, 'before', file.path, '') : vscode.Uri.file(file.path);
      const right = this.provider.put(key, 'proposed', file.targetPath, file.proposed);
      const name = this.label(file.targetPath);
      const title =
        file.kind === 'add'
          ? vscode.l10n.t('{0} (new file)', name)
          : file.kind === 'delete'
            ? vscode.l10n.t('{0} (deleted)', name)
            : file.targetPath !== file.path
              ? vscode.l10n.t('{0} (moved from {1})', name, this.label(file.path))
              : vscode.l10n.t('{0} (proposed)', name);
      await vscode.commands.executeCommand('vscode.diff', left, right, title, { preview: false });
      return;
    }
    await this.showChanges(vscode.l10n.t('Tandem: proposed change'), files.map((file) => this.pendingEntry(key, file)));
  }

  /** Shows a change that was already written: before (reconstructed) against the files now, all of them at once. */
  async openApplied(key: string, changes: readonly FileUpdateChange[]): Promise<void> {
    const entries: ChangeEntry[] = [];
    const unreadable: string[] = [];
    for (const change of changes) {
      try {
        entries.push(await this.appliedEntry(key, change));
      } catch (error) {
        unreadable.push((error as Error).message);
      }
    }
    if (entries.length === 0) throw new Error(unreadable.join(' '));
    if (unreadable.length > 0) void vscode.window.showWarningMessage(vscode.l10n.t('Tandem: some files of the change are not shown: {0}', unreadable.join(' ')));
    if (changes.length === 1) {
      const [only] = entries as [ChangeEntry];
      const left = only.original ?? this.provider.put(key, 'before', only.resource.fsPath, '');
      const right = only.modified ?? this.provider.put(key, 'proposed', only.resource.fsPath, '');
      await vscode.commands.executeCommand('vscode.diff', left, right, vscode.l10n.t("{0} (Tandem's change)", this.label(only.resource.fsPath)), { preview: true });
      return;
    }
    // VS Code adds the number of files to the tab's title.
    await this.showChanges(vscode.l10n.t("Tandem's change"), entries);
  }

  /**
   * What the user made of each proposed file of a review they opened — hunks discarded, lines edited — by the
   * change's path, for the files that differ from the proposal. Unsaved edits count.
   */
  editedContents(key: string): Map<string, string> {
    const edited = new Map<string, string>();
    for (const file of this.reviewed.get(key) ?? []) {
      const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === file.proposedUri.toString());
      const text = open ? open.getText() : this.provider.content(file.proposedUri);
      // The editor drops a byte-order mark and evens out mixed line ends: that alone is not an edit.
      if (text === undefined || comparable(text) === comparable(file.proposal)) continue;
      edited.set(file.changePath, file.proposal.startsWith(BOM) && !text.startsWith(BOM) ? BOM + text : text);
    }
    return edited;
  }

  /** The reviewed file a proposed document stands for (for its hunks). */
  reviewedFile(uri: vscode.Uri): ReviewedFile | undefined {
    const key = reviewKeyOf(uri);
    return key ? this.reviewed.get(key)?.find((file) => file.proposedUri.toString() === uri.toString()) : undefined;
  }

  /** Closes every tab that shows a document of this review and drops their contents. */
  async close(key: string): Promise<void> {
    // Saved first (into memory), so closing an edited proposal does not ask to save it.
    const dirty = vscode.workspace.textDocuments.filter((document) => document.isDirty && reviewKeyOf(document.uri) === key);
    await Promise.all(dirty.map((document) => document.save().then(undefined, () => false)));
    const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => showsReview(tab, key));
    if (tabs.length > 0) await vscode.window.tabGroups.close(tabs, true);
    this.provider.forget(key);
    this.reviewed.delete(key);
  }

  /** Workspace-relative when inside the workspace. */
  label(file: string): string {
    return this.workspaceRoot && file.startsWith(this.workspaceRoot + path.sep) ? file.slice(this.workspaceRoot.length + 1) : file;
  }

  private pendingEntry(key: string, file: ProposedFile): ChangeEntry {
    if (file.kind === 'add') return { resource: vscode.Uri.file(file.targetPath), original: undefined, modified: this.provider.put(key, 'proposed', file.targetPath, file.proposed) };
    // A snapshot rather than the file, so the tab carries the review's key even when every file is deleted.
    if (file.kind === 'delete') return { resource: vscode.Uri.file(file.path), original: this.provider.put(key, 'before', file.path, file.current), modified: undefined };
    return { resource: vscode.Uri.file(file.targetPath), original: vscode.Uri.file(file.path), modified: this.provider.put(key, 'proposed', file.targetPath, file.proposed) };
  }

  private async appliedEntry(key: string, change: FileUpdateChange): Promise<ChangeEntry> {
    const { before, path: target } = await appliedFile(change);
    const resource = vscode.Uri.file(target);
    if (change.kind.type === 'add') return { resource, original: undefined, modified: resource };
    if (change.kind.type === 'delete') return { resource, original: this.provider.put(key, 'before', change.path, before), modified: undefined };
    // A move keeps its source path on the left, so the editor shows it as the rename it is.
    return { resource, original: this.provider.put(key, 'before', change.path, before), modified: resource };
  }

  private async showChanges(title: string, entries: readonly ChangeEntry[]): Promise<void> {
    await vscode.commands.executeCommand('vscode.changes', title, entries.map((e) => [e.resource, e.original, e.modified]));
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
