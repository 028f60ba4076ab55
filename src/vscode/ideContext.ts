// The host's side of the composer's context: tells the chat what the active editor and terminal offer (as
// they change) and gathers what a message attaches when it is sent, from VS Code: the open document's
// selection, diagnostics, the terminal's last command, and web pages after a modal naming them.
import * as vscode from 'vscode';
import type { ContextAttachment, IdeContext, UserInput } from '../protocol';
import type { Logger } from '../core/log';
import { systemClock, type Clock } from './approvalQueue';
import { resolveContext, type ContextSources, type PageText, type Problem, type ProblemSeverity } from './contextAttachments';
import { ActiveEditorTracker } from './editorContext';
import { TerminalHistory } from './terminalContext';
import { fetchPageText } from './urlFetch';

export interface IdeContextOptions {
  clock?: Clock;
  /** How pages are fetched (tests point it at a local server's options). */
  fetchPage?: (url: URL) => Promise<PageText>;
}

export class IdeContextService implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<IdeContext>();
  /** The active editor, its selection or the terminal changed. */
  readonly onDidChange = this.emitter.event;
  private readonly editor: ActiveEditorTracker;
  private readonly terminals: TerminalHistory;
  private readonly sources: ContextSources;

  constructor(logger: Logger, options: IdeContextOptions = {}) {
    const changed = () => this.emitter.fire(this.current());
    this.editor = new ActiveEditorTracker(changed, options.clock ?? systemClock);
    this.terminals = new TerminalHistory(changed);
    const fetchPage = options.fetchPage ?? ((url: URL) => fetchPageText(url));
    this.sources = {
      editor: (path, selection) => this.editor.read(path, selection),
      problems: problemsOf,
      terminal: () => this.terminals.execution(),
      confirmFetch,
      fetchPage: async (url) => {
        const page = await fetchPage(url);
        // The address is the user's words: logged only at Debug, like the rest of what they write.
        logger.info('fetched a web page for the chat', { chars: page.text.length, truncated: page.truncated });
        logger.debug('fetched page', { url: page.url });
        return page;
      },
    };
  }

  current(): IdeContext {
    return { editor: this.editor.current(), terminal: this.terminals.status() };
  }

  /** The input items a message's attachments add; throws an RpcError the chat shows when one cannot be had. */
  resolve(attachments: readonly ContextAttachment[]): Promise<UserInput[]> {
    return resolveContext(attachments, this.sources);
  }

  dispose(): void {
    this.editor.dispose();
    this.terminals.dispose();
    this.emitter.dispose();
  }
}

const SEVERITIES: Record<number, ProblemSeverity> = { 0: 'error', 1: 'warning', 2: 'info', 3: 'hint' };

/** Diagnostics as the Problems panel has them now: one file's, or every file's in the workspace. */
function problemsOf(path: string | null): { scope: string; problems: Problem[] } {
  const entries: Array<[vscode.Uri, readonly vscode.Diagnostic[]]> = path
    ? [[vscode.Uri.file(path), vscode.languages.getDiagnostics(vscode.Uri.file(path))]]
    : vscode.languages.getDiagnostics();
  const problems = entries
    .filter(([uri]) => uri.scheme === 'file')
    .flatMap(([uri, diagnostics]) => {
      const shown = vscode.workspace.asRelativePath(uri, false);
      return diagnostics.map((diagnostic) => ({
        path: shown,
        line: diagnostic.range.start.line + 1,
        column: diagnostic.range.start.character + 1,
        severity: SEVERITIES[diagnostic.severity] ?? 'info',
        message: diagnostic.message,
        ...(diagnostic.source ? { source: diagnostic.source } : {}),
        ...(diagnostic.code !== undefined ? { code: String(typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code) } : {}),
      }));
    });
  return { scope: path ? vscode.workspace.asRelativePath(vscode.Uri.file(path), false) : 'the workspace', problems };
}

/** A modal naming every page: nothing is fetched unless the user says so. */
async function confirmFetch(urls: readonly URL[]): Promise<boolean> {
  const choice = vscode.l10n.t('Fetch');
  const one = urls.length === 1;
  const answer = await vscode.window.showWarningMessage(
    one ? vscode.l10n.t('Fetch {0} and send its text to the model?', urls[0]!.toString()) : vscode.l10n.t('Fetch {0} web pages and send their text to the model?', urls.length),
    {
      modal: true,
      detail: one
        ? vscode.l10n.t('Tandem downloads the page here in VS Code, turns it into text and adds that to your message.')
        : `${urls.map(String).join('\n')}\n\n${vscode.l10n.t('Tandem downloads them here in VS Code, turns them into text and adds that to your message.')}`,
    },
    choice,
  );
  return answer === choice;
}
