// Just enough of the `vscode` module for activation tests outside VS Code: it records what the
// extension creates (output channels, views, commands) so tests can assert on it.
export const recorded = {
  channels: [] as Array<{ name: string; options: unknown; lines: string[] }>,
  views: [] as string[],
  commands: new Map<string, (...args: unknown[]) => unknown>(),
  messages: [] as string[],
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

/** Quick picks shown: their items; a test queues the label to choose (no answer is a dismissal). */
export const quickPicks: Array<{ items: Array<{ label: string }> }> = [];
export const pickAnswers: string[] = [];
/** The button chosen on the next information message that has buttons (none: dismissed). */
export const infoAnswers: string[] = [];

/** One per withProgress call: pressing the notification's Cancel. */
export const progressCancellers: Array<() => void> = [];
export const statusBarItems: Array<{ text: string; tooltip: string; visible: boolean }> = [];
export const window = {
  createOutputChannel: channel,
  registerWebviewViewProvider: (id: string) => (recorded.views.push(id), { dispose() {} }),
  showInformationMessage: async (message: string, ...items: string[]) => (recorded.messages.push(message), items.length > 0 ? infoAnswers.shift() : undefined),
  showErrorMessage: async (message: string) => (recorded.messages.push(message), undefined),
  showWarningMessage,
  showInputBox: async () => undefined,
  showQuickPick: async (items: Array<{ label: string }>) => {
    quickPicks.push({ items });
    const answer = pickAnswers.shift();
    return items.find((item) => item.label === answer);
  },
  withProgress: async (_options: unknown, task: (progress: unknown, token: unknown) => Promise<unknown>) => {
    const cancel = new EventEmitter<void>();
    progressCancellers.push(() => cancel.fire());
    return task({ report() {} }, { onCancellationRequested: cancel.event });
  },
  createStatusBarItem: () => {
    const item = { text: '', tooltip: '', visible: false, show() { item.visible = true; }, hide() { item.visible = false; }, dispose() {} };
    statusBarItems.push(item);
    return item;
  },
  tabGroups: { all: [] as unknown[], close: async () => true },
  activeTextEditor: undefined,
};

export const commands = {
  registerCommand: (id: string, handler: (...args: unknown[]) => unknown) => (recorded.commands.set(id, handler), { dispose() {} }),
  executeCommand: async () => undefined,
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
export const Uri = {
  joinPath: (base: { fsPath: string }, ...parts: string[]) => ({ fsPath: [base.fsPath, ...parts].join('/') }),
  parse: (text: string) => ({ toString: () => text }),
  file: (fsPath: string) => ({ scheme: 'file', fsPath, path: fsPath, toString: () => `file://${fsPath}` }),
  from: (parts: { scheme: string; path: string }) => ({ ...parts, toString: () => `${parts.scheme}:${parts.path}` }),
};
export const StatusBarAlignment = { Left: 1, Right: 2 };
export const ProgressLocation = { Notification: 15 };
export const QuickPickItemKind = { Separator: -1, Default: 0 };
export class TabInputText {}
export class TabInputTextDiff {}
