// Just enough of the `vscode` module for activation tests outside VS Code: it records what the
// extension creates (output channels, views, commands) so tests can assert on it.
export const recorded = {
  channels: [] as Array<{ name: string; options: unknown; lines: string[] }>,
  views: [] as string[],
  commands: new Map<string, (...args: unknown[]) => unknown>(),
  messages: [] as string[],
  /** Every executeCommand call (vscode.diff, vscode.changes, setContext…), in order. */
  executed: [] as Array<{ command: string; args: unknown[] }>,
};

function channel(name: string, options: unknown) {
  const entry = { name, options, lines: [] as string[] };
  recorded.channels.push(entry);
  const log = (level: string) => (message: string) => entry.lines.push(`${level} ${message}`);
  return { name, trace: log('trace'), debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'), show() {}, dispose() {} };
}

type Listener<T> = (value: T) => void;
export class EventEmitter<T> {
  private listeners: Array<Listener<T>> = [];
  readonly event = (listener: Listener<T>) => (this.listeners.push(listener), { dispose: () => (this.listeners = this.listeners.filter((l) => l !== listener)) });
  fire(value: T): void {
    for (const listener of this.listeners) listener(value);
  }
  dispose(): void {
    this.listeners = [];
  }
}
const noEvent = () => ({ dispose() {} });

export interface CancellationToken {
  isCancellationRequested: boolean;
  onCancellationRequested: (listener: () => void) => { dispose(): void };
}
export class CancellationTokenSource {
  private readonly emitter = new EventEmitter<void>();
  readonly token: CancellationToken = { isCancellationRequested: false, onCancellationRequested: (listener) => this.emitter.event(listener) };
  cancel(): void {
    if (this.token.isCancellationRequested) return;
    this.token.isCancellationRequested = true;
    this.emitter.fire();
  }
  dispose(): void {
    this.emitter.dispose();
  }
}

/**
 * Every showWarningMessage call, modal or not, open until the test answers it (`answer(undefined)` is a
 * dismissal), the way VS Code leaves a message up until the user acts.
 */
export interface ShownWarning {
  message: string;
  modal: boolean;
  detail: string | undefined;
  items: string[];
  answer(choice: string | undefined): void;
}
export const warnings: ShownWarning[] = [];
function showWarningMessage(message: string, ...rest: unknown[]): Promise<string | undefined> {
  const options = typeof rest[0] === 'object' && rest[0] !== null ? (rest.shift() as { modal?: boolean; detail?: string }) : {};
  return new Promise((resolve) => warnings.push({ message, modal: options.modal === true, detail: options.detail, items: rest as string[], answer: resolve }));
}

/**
 * Quick picks shown: their items and options; a test queues the label to choose (no answer is a dismissal),
 * or for a `canPickMany` pick the labels left checked (`undefined`: dismissed).
 */
export const quickPicks: Array<{ items: Array<{ label: string; picked?: boolean }>; options: { canPickMany?: boolean; title?: string } | undefined }> = [];
export const pickAnswers: string[] = [];
export const pickManyAnswers: Array<string[] | undefined> = [];
/** Set `hold` to keep the next quick pick open until `release()` (it answers then) or its token cancels. */
export const quickPickHold: { hold: boolean; release?: () => void } = { hold: false };
/** Every withProgress notification: its title, and whether its task has ended (the notification closed). */
export const progressShown: Array<{ title: string | undefined; closed: boolean }> = [];
/** The button chosen on the next information message that has buttons (none: dismissed). */
export const infoAnswers: string[] = [];

/**
 * Input boxes shown, with their options; a test queues what the user types (`undefined`: Escape; nothing
 * queued: Escape too). Typed text goes through the box's validateInput: a refused text is recorded in
 * `inputErrors` and the next queued one is tried, as a user corrects what they typed.
 */
export interface InputBoxOptions {
  title?: string;
  prompt?: string;
  placeHolder?: string;
  value?: string;
  password?: boolean;
  validateInput?: (text: string) => string | undefined | null | Promise<string | undefined | null>;
}
export const inputBoxes: InputBoxOptions[] = [];
export const inputAnswers: Array<string | undefined> = [];
export const inputErrors: string[] = [];
/** Documents shown with showTextDocument: their path and the line the selection starts on. */
export const shownDocuments: Array<{ path: string; line: number | undefined }> = [];

/** One per withProgress call: pressing the notification's Cancel. */
export const progressCancellers: Array<() => void> = [];
export const statusBarItems: Array<{ text: string; tooltip: string; visible: boolean }> = [];
/** The editor and terminal events a test fires, playing the user moving around (see `window` below). */
export const editorEvents = {
  activeTextEditor: new EventEmitter<unknown>(),
  textEditorSelection: new EventEmitter<{ textEditor: unknown }>(),
  activeTerminal: new EventEmitter<unknown>(),
  terminalShellIntegration: new EventEmitter<unknown>(),
  closeTerminal: new EventEmitter<unknown>(),
  shellExecutionStart: new EventEmitter<{ terminal: unknown; execution: unknown }>(),
  shellExecutionEnd: new EventEmitter<{ terminal: unknown; execution: unknown; exitCode: number | undefined }>(),
};
export const window = {
  createOutputChannel: channel,
  registerWebviewViewProvider: (id: string) => (recorded.views.push(id), { dispose() {} }),
  showInformationMessage: async (message: string, ...items: string[]) => (recorded.messages.push(message), items.length > 0 ? infoAnswers.shift() : undefined),
  showErrorMessage: async (message: string) => (recorded.messages.push(message), undefined),
  showWarningMessage,
  showInputBox: async (options?: InputBoxOptions, token?: CancellationToken) => {
    inputBoxes.push(options ?? {});
    for (;;) {
      if (token?.isCancellationRequested || inputAnswers.length === 0) return undefined;
      const typed = inputAnswers.shift();
      if (typed === undefined) return undefined;
      const error = await options?.validateInput?.(typed);
      if (!error) return typed;
      inputErrors.push(error);
    }
  },
  showTextDocument: async (document: { uri?: { fsPath: string }; fsPath?: string }, options?: { selection?: { start: { line: number } } }) => {
    shownDocuments.push({ path: document.uri?.fsPath ?? document.fsPath ?? '', line: options?.selection?.start.line });
    return {};
  },
  showQuickPick: async (items: Array<{ label: string }>, options?: { canPickMany?: boolean; title?: string }, token?: CancellationToken) => {
    quickPicks.push({ items, options });
    // A test that sets `holdQuickPick` keeps the picker open until it releases it or the token cancels.
    if (quickPickHold.hold) {
      const released = await new Promise<boolean>((resolve) => {
        quickPickHold.release = () => resolve(true);
        token?.onCancellationRequested(() => resolve(false));
      });
      if (!released) return undefined;
    }
    if (options?.canPickMany) {
      const checked = pickManyAnswers.shift();
      return checked && items.filter((item) => checked.includes(item.label));
    }
    const answer = pickAnswers.shift();
    return items.find((item) => item.label === answer);
  },
  withProgress: async (options: { title?: string }, task: (progress: unknown, token: unknown) => Promise<unknown>) => {
    const cancel = new EventEmitter<void>();
    progressCancellers.push(() => cancel.fire());
    const shown = { title: options?.title, closed: false };
    progressShown.push(shown);
    try {
      return await task({ report() {} }, { onCancellationRequested: cancel.event });
    } finally {
      shown.closed = true;
    }
  },
  createStatusBarItem: () => {
    const item = { text: '', tooltip: '', visible: false, show() { item.visible = true; }, hide() { item.visible = false; }, dispose() {} };
    statusBarItems.push(item);
    return item;
  },
  tabGroups: { all: [] as unknown[], close: async () => true },
  activeTextEditor: undefined as unknown,
  activeTerminal: undefined as unknown,
  onDidChangeActiveTextEditor: editorEvents.activeTextEditor.event,
  onDidChangeTextEditorSelection: editorEvents.textEditorSelection.event,
  onDidChangeActiveTerminal: editorEvents.activeTerminal.event,
  onDidChangeTerminalShellIntegration: editorEvents.terminalShellIntegration.event,
  onDidCloseTerminal: editorEvents.closeTerminal.event,
  onDidStartTerminalShellExecution: editorEvents.shellExecutionStart.event,
  onDidEndTerminalShellExecution: editorEvents.shellExecutionEnd.event,
};

export const commands = {
  registerCommand: (id: string, handler: (...args: unknown[]) => unknown) => (recorded.commands.set(id, handler), { dispose() {} }),
  executeCommand: async (command: string, ...args: unknown[]) => void recorded.executed.push({ command, args }),
};

export const workspace = {
  workspaceFolders: undefined as unknown,
  name: 'test',
  isTrusted: true,
  onDidGrantWorkspaceTrust: noEvent,
  onDidChangeConfiguration: noEvent,
  onDidChangeTextDocument: noEvent,
  getConfiguration: () => ({ get: <T>(_key: string, fallback: T) => fallback }),
  registerTextDocumentContentProvider: () => ({ dispose() {} }),
  registerFileSystemProvider: () => ({ dispose() {} }),
  onDidCloseTextDocument: noEvent,
  onDidChangeWorkspaceFolders: noEvent,
  createFileSystemWatcher: () => ({ onDidChange: noEvent, onDidCreate: noEvent, onDidDelete: noEvent, dispose() {} }),
  /** No file is readable through the workspace's file system here. */
  fs: { readFile: async (uri: { fsPath: string }) => Promise.reject(new Error(`not found: ${uri.fsPath}`)) },
  /** Open documents; a test puts its fake documents here. */
  textDocuments: [] as unknown[],
  /** Documents openTextDocument can load though they are not open, by path; others are not found. */
  closedDocuments: new Map<string, unknown>(),
  openTextDocument: async (uri: { fsPath: string }) => {
    const document = workspace.closedDocuments.get(uri.fsPath);
    if (!document) throw new Error(`cannot open file://${uri.fsPath}: file not found`);
    return document;
  },
  /** Relative to the first workspace folder that holds the path, as VS Code shows it (without the folder's name). */
  asRelativePath: (target: string | { fsPath: string }) => {
    const full = typeof target === 'string' ? target : target.fsPath;
    const folders = (workspace.workspaceFolders ?? []) as Array<{ uri: { fsPath: string } }>;
    const folder = folders.find((f) => full.startsWith(`${f.uri.fsPath}/`));
    return folder ? full.slice(folder.uri.fsPath.length + 1) : full;
  },
};
/** Diagnostics by file path, as the Problems panel has them; a test fills it. */
export const diagnostics = new Map<string, unknown[]>();
export const languages = {
  registerCodeLensProvider: () => ({ dispose() {} }),
  getDiagnostics: (uri?: { fsPath: string }) => (uri ? (diagnostics.get(uri.fsPath) ?? []) : [...diagnostics].map(([file, list]) => [Uri.file(file), list])),
};
export const opened: string[] = [];
export const copied: string[] = [];
export const env = {
  openExternal: async (uri: { toString(): string }) => (opened.push(uri.toString()), true),
  appRoot: '/nonexistent-vscode-app-root',
  clipboard: { writeText: async (text: string) => void copied.push(text) },
  /** Set by a test to play a remote window (SSH, container, Codespaces). */
  remoteName: undefined as string | undefined,
};
type FakeUri = { scheme: string; path: string; query: string; fsPath: string; toString(): string };
function uriFrom(parts: { scheme: string; path: string; query?: string }): FakeUri {
  const query = parts.query ?? '';
  return { scheme: parts.scheme, path: parts.path, query, fsPath: parts.path, toString: () => `${parts.scheme}:${parts.scheme === 'file' ? '//' : ''}${parts.path}${query ? `?${query}` : ''}` };
}
export const Uri = {
  joinPath: (base: { fsPath: string }, ...parts: string[]) => ({ fsPath: [base.fsPath, ...parts].join('/') }),
  /** Reads back what `toString` wrote (scheme, path, query); a URL keeps its text as it came. */
  parse: (text: string) => {
    const match = /^([a-z][a-z0-9+.-]*):(?:\/\/(?=\/))?([^?]*)(?:\?(.*))?$/i.exec(text);
    return match ? { ...uriFrom({ scheme: match[1]!, path: match[2]!, query: match[3] }), toString: () => text } : { toString: () => text };
  },
  file: (fsPath: string) => uriFrom({ scheme: 'file', path: fsPath }),
  from: uriFrom,
};
export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}
export class Range {
  readonly start: Position;
  readonly end: Position;
  /** As VS Code's: four numbers, or two positions. */
  constructor(start: number | Position, end: number | Position, endLine?: number, endCharacter?: number) {
    if (start instanceof Position && end instanceof Position) {
      this.start = start;
      this.end = end;
    } else {
      this.start = new Position(start as number, end as number);
      this.end = new Position(endLine!, endCharacter!);
    }
  }
}
type L10nArgs = Array<string | number | boolean> | Record<string, unknown>;
/**
 * `vscode.l10n`: English (no bundle) unless a test sets `bundle`, a translation keyed by the English message
 * (`message/comment` when the call gives a comment), as VS Code's bundles are. `{0}` and `{name}` take the
 * arguments, as in VS Code.
 */
export const l10n = {
  bundle: undefined as Record<string, string> | undefined,
  uri: undefined as unknown,
  t(first: string | { message: string; args?: L10nArgs; comment?: string | string[] }, ...rest: unknown[]): string {
    const message = typeof first === 'string' ? first : first.message;
    const comment = typeof first === 'string' ? undefined : [first.comment ?? []].flat().join('');
    const args = (typeof first === 'string' ? (rest.length === 1 && typeof rest[0] === 'object' && rest[0] !== null ? rest[0] : rest) : (first.args ?? {})) as Record<string, unknown>;
    const template = l10n.bundle?.[comment ? `${message}/${comment}` : message] ?? message;
    return template.replace(/{([^}]+)}/g, (match, name: string) => (name in args ? String(args[name]) : match));
  },
};
export const StatusBarAlignment = { Left: 1, Right: 2 };
export const ProgressLocation = { Window: 10, Notification: 15 };
export const QuickPickItemKind = { Separator: -1, Default: 0 };
export class TabInputText {}
export class TabInputTextDiff {}
export const FileChangeType = { Changed: 1, Created: 2, Deleted: 3 };
export const FileType = { Unknown: 0, File: 1, Directory: 2, SymbolicLink: 64 };
export const FilePermission = { Readonly: 1 };
export class FileSystemError extends Error {
  static FileNotFound(uri?: unknown): FileSystemError {
    return new FileSystemError(`file not found: ${String(uri)}`);
  }
  static NoPermissions(uri?: unknown): FileSystemError {
    return new FileSystemError(`no permissions: ${String(uri)}`);
  }
}
export class RelativePattern {
  constructor(
    readonly base: unknown,
    readonly pattern: string,
  ) {}
}
