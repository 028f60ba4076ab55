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

export const window = {
  createOutputChannel: channel,
  registerWebviewViewProvider: (id: string) => (recorded.views.push(id), { dispose() {} }),
  showInformationMessage: async (message: string) => (recorded.messages.push(message), undefined),
  showErrorMessage: async (message: string) => (recorded.messages.push(message), undefined),
  showWarningMessage: async () => undefined,
  showInputBox: async () => undefined,
};

export const commands = {
  registerCommand: (id: string, handler: (...args: unknown[]) => unknown) => (recorded.commands.set(id, handler), { dispose() {} }),
  executeCommand: async () => undefined,
};

export const workspace = { workspaceFolders: undefined as unknown, name: 'test' };
export const env = { openExternal: async () => true, appRoot: '/nonexistent-vscode-app-root' };
export const Uri = {
  joinPath: (base: { fsPath: string }, ...parts: string[]) => ({ fsPath: [base.fsPath, ...parts].join('/') }),
  parse: (text: string) => ({ toString: () => text }),
};
