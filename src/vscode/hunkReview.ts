// Reviewing a proposed change hunk by hunk: on the proposed side of a pending review, each hunk can be kept
// or discarded on its own — from a CodeLens above it (where the editor shows CodeLens), from the editor's
// context menu or the palette for the hunk at the cursor, or with the diff editor's own revert arrow. A
// discarded hunk is put back as the file has it; what the proposed side holds when the change is accepted
// is what gets written, and the model is told how that differs from what it proposed.
import * as vscode from 'vscode';
import { hunkKey, hunksOf, type Hunk } from './hunks';
import { PROPOSED_SCHEME, type PatchReviewer } from './patchReview';

export class HunkReview implements vscode.CodeLensProvider, vscode.Disposable {
  /** Hunks the user kept, by proposed document. */
  private readonly kept = new Map<string, Set<string>>();
  private readonly lensesChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.lensesChanged.event;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly reviewer: PatchReviewer) {
    this.disposables.push(
      this.lensesChanged,
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document.uri.scheme === PROPOSED_SCHEME) this.lensesChanged.fire();
      }),
      vscode.workspace.onDidCloseTextDocument((document) => this.kept.delete(document.uri.toString())),
    );
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const file = this.reviewer.reviewedFile(document.uri);
    if (!file) return [];
    const kept = this.kept.get(document.uri.toString());
    return hunksOf(file.original, document.getText()).flatMap((hunk) => {
      const line = Math.min(hunk.start, Math.max(0, document.lineCount - 1));
      const range = new vscode.Range(line, 0, line, 0);
      // Named by what it changes, not its position: a lens clicked after other edits still hits its own hunk.
      const args = [document.uri, hunkKey(hunk)];
      const keep = kept?.has(hunkKey(hunk))
        ? new vscode.CodeLens(range, { title: `$(check) ${vscode.l10n.t('Kept')}`, command: 'tandem.keepHunk', arguments: args })
        : new vscode.CodeLens(range, { title: `$(check) ${vscode.l10n.t('Keep')}`, command: 'tandem.keepHunk', arguments: args, tooltip: vscode.l10n.t('Keep this change') });
      return [keep, new vscode.CodeLens(range, { title: `$(discard) ${vscode.l10n.t('Discard')}`, command: 'tandem.discardHunk', arguments: args, tooltip: vscode.l10n.t('Put this part back as the file has it') })];
    });
  }

  /** Keeps a hunk (the one named, or the one at the cursor) and moves on to the next one not decided yet. */
  async keep(uri?: vscode.Uri, key?: string): Promise<void> {
    const target = this.target(uri, key);
    if (!target) return;
    const { document, hunks, hunk } = target;
    let kept = this.kept.get(document.uri.toString());
    if (!kept) this.kept.set(document.uri.toString(), (kept = new Set()));
    kept.add(hunkKey(hunk));
    this.lensesChanged.fire();
    this.reveal(document, hunks.filter((h) => !kept.has(hunkKey(h))), hunk.start);
  }

  /** Puts a hunk (the one named, or the one at the cursor) back as the file has it. */
  async discard(uri?: vscode.Uri, key?: string): Promise<void> {
    const target = this.target(uri, key);
    if (!target) return;
    const { document, hunk, original } = target;
    // Only the hunk's lines change (what `discardHunk` computes), so the cursor and undo stay local.
    const range = new vscode.Range(document.validatePosition(new vscode.Position(hunk.start, 0)), document.validatePosition(new vscode.Position(hunk.start + hunk.count, 0)));
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, range, hunk.oldText);
    if (!(await vscode.workspace.applyEdit(edit))) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Tandem could not discard that part of the change.'));
      return;
    }
    const kept = this.kept.get(document.uri.toString());
    this.reveal(document, hunksOf(original, document.getText()).filter((h) => !kept?.has(hunkKey(h))), hunk.start);
  }

  /** The document, its hunks and the hunk an action is about; says why when there is none. */
  private target(uri: vscode.Uri | undefined, key: string | undefined): { document: vscode.TextDocument; hunks: Hunk[]; hunk: Hunk; original: string } | undefined {
    const editor = this.editorFor(uri);
    const document = editor?.document ?? vscode.workspace.textDocuments.find((d) => uri !== undefined && d.uri.toString() === uri.toString());
    const file = document ? this.reviewer.reviewedFile(document.uri) : undefined;
    if (!document || !file) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Tandem: open the proposed side of a change waiting for review first.'));
      return undefined;
    }
    const hunks = hunksOf(file.original, document.getText());
    const kept = this.kept.get(document.uri.toString());
    const line = editor?.selection.active.line ?? 0;
    const hunk =
      (key !== undefined ? hunks.find((h) => hunkKey(h) === key) : undefined) ??
      hunks.find((h) => line >= h.start && line < h.start + Math.max(h.count, 1)) ??
      hunks.find((h) => h.start >= line && !kept?.has(hunkKey(h))) ??
      hunks.find((h) => !kept?.has(hunkKey(h)));
    if (!hunk) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Tandem: this file has no changes left to review.'));
      return undefined;
    }
    return { document, hunks, hunk, original: file.original };
  }

  /** The editor showing the proposed side: the one named, the active one, or the only one visible. */
  private editorFor(uri: vscode.Uri | undefined): vscode.TextEditor | undefined {
    const proposed = (editor: vscode.TextEditor) => this.reviewer.reviewedFile(editor.document.uri) !== undefined;
    const visible = vscode.window.visibleTextEditors;
    if (uri) return visible.find((e) => e.document.uri.toString() === uri.toString());
    const active = vscode.window.activeTextEditor;
    if (active && proposed(active)) return active;
    return visible.find(proposed);
  }

  /** Moves the cursor to the next hunk still to decide (after `from`, else the first), or says all are done. */
  private reveal(document: vscode.TextDocument, open: Hunk[], from: number): void {
    const next = open.find((h) => h.start > from) ?? open[0];
    const editor = vscode.window.visibleTextEditors.find((e) => e.document === document);
    if (next && editor) {
      const position = new vscode.Position(Math.min(next.start, Math.max(0, document.lineCount - 1)), 0);
      editor.selection = new vscode.Selection(position, position);
      editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    }
    this.lensesChanged.fire();
    vscode.window.setStatusBarMessage(
      open.length === 0 ? vscode.l10n.t('Tandem: every part of this file is decided; accept the change to write it.') : vscode.l10n.t('Tandem: {0} parts of this file left to decide.', open.length),
      5000,
    );
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
