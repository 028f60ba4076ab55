// Serves the built chat webview outside VS Code, for browser tests and the webview benchmark: a stub
// `acquireVsCodeApi` answers the page's requests from a scripted thread, and tests push notifications
// with `window.__tandemPush(method, params)`.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { REPO_ROOT } from './protocolClient';
import { translationsBlock, type TranslationBundle } from '../../src/vscode/localization';

const VSCODE_THEME = `
:root { --vscode-foreground:#cccccc; --vscode-sideBar-background:#1e1e1e; --vscode-font-family:system-ui,sans-serif; --vscode-font-size:13px;
--vscode-input-background:#3c3c3c; --vscode-input-foreground:#cccccc; --vscode-descriptionForeground:#9d9d9d; --vscode-button-background:#0e639c;
--vscode-button-foreground:#ffffff; --vscode-button-hoverBackground:#1177bb; --vscode-button-secondaryBackground:#3a3d41; --vscode-button-secondaryForeground:#ffffff;
--vscode-focusBorder:#007fd4; --vscode-inputValidation-errorBackground:#5a1d1d; --vscode-inputValidation-errorBorder:#be1100;
--vscode-inputValidation-warningBackground:#352a05; --vscode-inputValidation-warningBorder:#b89500; --vscode-editor-font-family:monospace; --vscode-widget-border:#454545; }`;

/**
 * `threadFromServer`: the page fetches the thread as JSON (the benchmark), the way a large thread reaches a
 * real webview as a message to deserialize, instead of parsing it as part of the page's own script.
 * `translations`: VS Code's bundle for a display language, written into the page as the host writes it.
 */
export function harnessHtml(initialThread: unknown, threadFromServer = false, translations?: TranslationBundle): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><style>${VSCODE_THEME}</style><link rel="stylesheet" href="/dist/codicons/codicon.css"><link rel="stylesheet" href="/media/chat.css"><link rel="stylesheet" href="/media/welcome.css"></head>
<body><div id="root"></div><script>
// A test may replace the thread (window.__thread) and the history (window.__threads) before the page loads.
let thread = window.__thread !== undefined ? window.__thread : ${threadFromServer ? 'null' : JSON.stringify(initialThread)};
const threadLoaded = ${threadFromServer ? "fetch('/thread.json').then((r) => r.json()).then((t) => (thread = t))" : 'Promise.resolve()'};
window.__posted = [];
const effort = (e) => ({ reasoningEffort: e, description: e });
const HARNESS_MODELS = [
  { id: 'gpt-5.5', model: 'gpt-5.5', displayName: 'GPT-5.5', description: 'default', isDefault: true, defaultReasoningEffort: 'medium', supportedReasoningEfforts: ['low', 'medium', 'high'].map(effort) },
  { id: 'mini', model: 'mini', displayName: 'Mini', description: 'small', isDefault: false, defaultReasoningEffort: 'low', supportedReasoningEfforts: ['low'].map(effort) },
];
// Files the scripted fuzzyFileSearch knows: a subsequence match, with the indices of the matched characters.
window.__files = ['src/vscode/chatView.ts', 'src/server/appServer.ts', 'webview/main.ts', 'README.md'];
function fileSearch(query) {
  const files = [];
  for (const file of window.__files) {
    const indices = [];
    let at = 0;
    for (const char of query.toLowerCase()) {
      at = file.toLowerCase().indexOf(char, at);
      if (at === -1) break;
      indices.push(at++);
    }
    if (indices.length === query.length) files.push({ root: '/w', path: file, file_name: file.split('/').pop(), match_type: 'file', score: 100 - file.length, indices });
  }
  return { files };
}
// thread/list as the server answers it: by archived state, exact folder, and a case-sensitive search of
// names and first messages; pages cut at an index cursor.
function listThreads(params) {
  const cwds = params.cwd == null ? null : [].concat(params.cwd);
  const term = params.searchTerm;
  const all = (window.__threads || []).filter((t) => !!t.archived === !!params.archived && (!cwds || cwds.includes(t.cwd))
    && (!term || t.preview.includes(term) || (t.name || '').includes(term)));
  const start = Number(params.cursor || 0);
  const end = start + (params.limit || 25);
  return { data: all.slice(start, end), nextCursor: end < all.length ? String(end) : null };
}
// The webview's state, kept in sessionStorage: like VS Code's, it outlives a reload of the page.
const stateApi = {
  getState: () => JSON.parse(sessionStorage.getItem('__vscodeState') || 'null') ?? undefined,
  setState: (state) => sessionStorage.setItem('__vscodeState', JSON.stringify(state)),
};
window.acquireVsCodeApi = () => ({ ...stateApi, postMessage(message) {
  window.__posted.push(message);
  const reply = (m) => setTimeout(() => window.dispatchEvent(new MessageEvent('message', { data: m })), 0);
  if (message.kind === 'ready') threadLoaded.then(() => reply({ kind: 'state', state: { activeThreadId: thread ? thread.id : null, workspaceName: 'demo', workspaceRoots: window.__roots || ['/w'], homeDir: '/home/me', notice: null, composerDisabledReason: null, pendingApprovals: [], restricted: window.__restricted === true } }));
  // The pickers' host calls: the config's defaults, Set as default, and the Full access warning (window.__fullAccess answers it).
  if (message.kind === 'readDefaults') reply({ kind: 'response', id: message.id, result: { model: 'gpt-5.5', effort: null, mode: 'review' } });
  if (message.kind === 'saveDefaults') reply({ kind: 'response', id: message.id, result: {} });
  if (message.kind === 'confirmFullAccess') reply({ kind: 'response', id: message.id, result: window.__fullAccess === true });
  // The context a message attaches: window.__contextError refuses it, as a declined page would; otherwise the
  // answer is one IDE-context text naming what was asked for.
  if (message.kind === 'resolveContext') reply(window.__contextError
    ? { kind: 'error', id: message.id, error: { code: -32600, message: window.__contextError } }
    : { kind: 'response', id: message.id, result: { input: [{ type: 'text', text: '# Context from my IDE setup:\\n\\n' + JSON.stringify(message.attachments) + '\\n\\n## My request for Codex:\\n' }] } });
  // Deleting from the history: window.__deleteAnswer is what the host's dialog and thread/delete came to.
  if (message.kind === 'deleteThread') {
    const answer = window.__deleteAnswer || 'deleted';
    if (answer === 'deleted' || answer === 'kept') reply({ kind: 'response', id: message.id, result: { deleted: answer === 'deleted' } });
    else reply({ kind: 'error', id: message.id, error: { code: -32600, message: answer } });
  }
  // Undo from the chat: window.__restoreAnswer is what the host's dialogs came to ({ restored, rewound }).
  if (message.kind === 'restoreCheckpoint') reply({ kind: 'response', id: message.id, result: window.__restoreAnswer || { restored: false, rewound: false } });
  if (message.kind === 'request') {
    if (message.method === 'thread/resume') reply({ kind: 'response', id: message.id, result: { thread, model: 'gpt-5.5', reasoningEffort: null, approvalPolicy: 'on-request', sandbox: { type: 'workspaceWrite' }, reviewFileChanges: true } });
    else if (message.method === 'model/list') reply({ kind: 'response', id: message.id, result: { data: HARNESS_MODELS, nextCursor: null } });
    else if (message.method === 'thread/read') reply({ kind: 'response', id: message.id, result: { thread: (window.__threads || []).find((t) => t.id === message.params.threadId) || thread } });
    else if (message.method === 'thread/list') reply({ kind: 'response', id: message.id, result: listThreads(message.params) });
    else if (message.method === 'thread/name/set' && window.__renameError) reply({ kind: 'error', id: message.id, error: { code: -32600, message: window.__renameError } });
    // A new thread, answered after window.__startDelayMs (a slow start, as a real one can be).
    else if (message.method === 'thread/start') setTimeout(() => reply({ kind: 'response', id: message.id, result: { thread: { id: 'started-1', name: null, status: { type: 'idle' }, turns: [] }, model: 'gpt-5.5', approvalPolicy: 'on-request', sandbox: { type: 'workspaceWrite' } } }), window.__startDelayMs || 0);
    // The thread's checkpoints (window.__checkpoints), or a server without them when that is unset.
    else if (message.method === 'tandem/checkpoint/list') reply(window.__checkpoints ? { kind: 'response', id: message.id, result: { data: window.__checkpoints } } : { kind: 'error', id: message.id, error: { code: -32601, message: 'method not found' } });
    else if (message.method === 'fuzzyFileSearch') reply({ kind: 'response', id: message.id, result: fileSearch(message.params.query) });
    else if (message.method === 'turn/start') reply({ kind: 'response', id: message.id, result: { turn: { id: 'new-turn', items: [], itemsView: 'notLoaded', status: 'inProgress', error: null, startedAt: null, completedAt: null, durationMs: null } } });
    else reply({ kind: 'response', id: message.id, result: {} });
  }
} });
window.__hostPost = (data) => window.dispatchEvent(new MessageEvent('message', { data }));
window.__tandemPush = (method, params) => window.dispatchEvent(new MessageEvent('message', { data: { kind: 'notification', method, params } }));
</script>${translationsBlock(translations)}<script src="/dist/webview.js"></script></body></html>`;
}

export async function serveHarness(initialThread: unknown, options: { threadFromServer?: boolean; translations?: TranslationBundle } = {}): Promise<{ url: string; close(): Promise<void> }> {
  const threadJson = options.threadFromServer ? JSON.stringify(initialThread) : '';
  const server = http.createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0]!;
    if (url === '/') {
      res.writeHead(200, { 'content-type': 'text/html' }).end(harnessHtml(initialThread, options.threadFromServer, options.translations));
      return;
    }
    if (url === '/thread.json' && options.threadFromServer) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(threadJson);
      return;
    }
    const file = path.join(REPO_ROOT, path.normalize(url).replace(/^(\.\.[/\\])+/, ''));
    if (!file.startsWith(path.join(REPO_ROOT, 'dist')) && !file.startsWith(path.join(REPO_ROOT, 'media'))) {
      res.writeHead(404).end();
      return;
    }
    fs.readFile(file, (error, data) => {
      if (error) res.writeHead(404).end();
      else res.writeHead(200, { 'content-type': file.endsWith('.css') ? 'text/css' : file.endsWith('.ttf') ? 'font/ttf' : 'text/javascript' }).end(data);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Chromium flags that work on these machines (no network, no sandbox as root). */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const CHROMIUM_PATH = process.env.TANDEM_CHROMIUM ?? '/usr/bin/chromium';
