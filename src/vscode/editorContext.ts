// The active editor as the chat's context chip shows it: its file (file:// documents only: an untitled
// buffer or an output pane has nothing the agent could open) and selection, followed as the user moves,
// debounced so dragging a selection sends one update, not hundreds.
import * as vscode from 'vscode';
import type { ActiveEditorContext, EditorSelection } from '../protocol';
import { systemClock, type Clock } from './approvalQueue';

/** Quiet time before the chat hears of a new editor or selection. */
export const EDITOR_CONTEXT_DEBOUNCE_MS = 300;

export function editorContextOf(editor: vscode.TextEditor | undefined): ActiveEditorContext | null {
  const uri = editor?.document.uri;
  if (!editor || uri?.scheme !== 'file') return null;
  const { start, end, isEmpty } = editor.selection;
  return {
    path: uri.fsPath,
    relativePath: vscode.workspace.asRelativePath(uri, false),
    selection: isEmpty ? null : { startLine: start.line, startCharacter: start.character, endLine: end.line, endCharacter: end.character },
  };
}

export class ActiveEditorTracker implements vscode.Disposable {
  private value: ActiveEditorContext | null;
  /** Every file offered as a chip so far: what read() may open. */
  private readonly offered = new Set<string>();
  private cancelTimer: (() => void) | undefined;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly changed: () => void,
    private readonly clock: Clock = systemClock,
    private readonly debounceMs = EDITOR_CONTEXT_DEBOUNCE_MS,
  ) {
    this.value = this.offer(editorContextOf(vscode.window.activeTextEditor));
    this.subscriptions = [
      vscode.window.onDidChangeActiveTextEditor(() => this.schedule()),
      vscode.window.onDidChangeTextEditorSelection((event) => {
        if (event.textEditor === vscode.window.activeTextEditor) this.schedule();
      }),
    ];
  }

  current(): ActiveEditorContext | null {
    return this.value;
  }

  /**
   * The path as shown and the selected text. Only a file this tracker offered as a chip can be read (the chat
   * cannot ask for any file by path). A file closed since (the chip a moment behind, say, as a review's diff
   * editor closes) is read from disk: the user saw the chip when they sent.
   */
  async read(path: string, selection: EditorSelection | null): Promise<{ relativePath: string; text: string | null }> {
    if (!this.offered.has(path)) throw new Error(vscode.l10n.t('{0} was not offered as context. Remove its chip to send without it.', path));
    let document = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === path);
    if (!document) {
      try {
        document = await vscode.workspace.openTextDocument(vscode.Uri.file(path));
      } catch (error) {
        throw new Error(vscode.l10n.t('{0} cannot be read ({1}). Remove its chip to send without it.', path, (error as Error).message), { cause: error });
      }
    }
    const relativePath = vscode.workspace.asRelativePath(document.uri, false);
    if (!selection) return { relativePath, text: null };
    const range = document.validateRange(new vscode.Range(selection.startLine, selection.startCharacter, selection.endLine, selection.endCharacter));
    return { relativePath, text: document.getText(range) };
  }

  private schedule(): void {
    this.cancelTimer?.();
    this.cancelTimer = this.clock.setTimer(() => {
      this.cancelTimer = undefined;
      const next = editorContextOf(vscode.window.activeTextEditor);
      if (JSON.stringify(next) === JSON.stringify(this.value)) return;
      this.value = this.offer(next);
      this.changed();
    }, this.debounceMs);
  }

  private offer(context: ActiveEditorContext | null): ActiveEditorContext | null {
    if (context) this.offered.add(context.path);
    return context;
  }

  dispose(): void {
    this.cancelTimer?.();
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
