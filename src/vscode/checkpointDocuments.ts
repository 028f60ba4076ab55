// Read-only documents of a checkpoint's files for the diff editor: `tandem-checkpoint:` URIs whose content
// the server gives (`tandem/checkpoint/readFile`), a file as it was before a turn or as the turn left it.
import * as vscode from 'vscode';
import { CheckpointReadFile, type ParamsOf } from '../protocol';

export const CHECKPOINT_SCHEME = 'tandem-checkpoint';

/** Bytes looked at to tell a binary file from text, as git does. */
const BINARY_PROBE_BYTES = 8000;

export interface CheckpointClient {
  request(method: string, params?: unknown): Promise<unknown>;
}

/** Which file of which checkpoint, and which side of it. */
export interface CheckpointFileRef {
  threadId: string;
  turnId: string;
  includeLater: boolean;
  /** Relative to the workspace. */
  path: string;
  side: 'before' | 'after';
}

/**
 * `tandem-checkpoint:<the file's own path>?…`: the path is the file's, so the diff editor names the document
 * as it names the file and picks the language from its name; the query says what to read. `view` keeps one
 * showing apart from another (a restore's diff opened again reads the files again).
 */
export function checkpointUri(workspace: string, ref: CheckpointFileRef, view: string): vscode.Uri {
  const file = vscode.Uri.file(`${workspace.replace(/[\\/]+$/, '')}/${ref.path}`);
  const query = new URLSearchParams({ thread: ref.threadId, turn: ref.turnId, later: ref.includeLater ? '1' : '0', file: ref.path, side: ref.side, view });
  return vscode.Uri.from({ scheme: CHECKPOINT_SCHEME, path: file.path, query: query.toString() });
}

export function checkpointRefOf(uri: vscode.Uri): CheckpointFileRef | undefined {
  if (uri.scheme !== CHECKPOINT_SCHEME) return undefined;
  const query = new URLSearchParams(uri.query);
  const [threadId, turnId, file, side] = [query.get('thread'), query.get('turn'), query.get('file'), query.get('side')];
  if (!threadId || !turnId || !file || (side !== 'before' && side !== 'after')) return undefined;
  return { threadId, turnId, includeLater: query.get('later') === '1', path: file, side };
}

/** The `view` a checkpoint document belongs to. */
export function checkpointViewOf(uri: unknown): string | undefined {
  if (!(uri instanceof Object) || (uri as vscode.Uri).scheme !== CHECKPOINT_SCHEME) return undefined;
  return new URLSearchParams((uri as vscode.Uri).query).get('view') ?? undefined;
}

export class CheckpointContentProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly client: CheckpointClient) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const ref = checkpointRefOf(uri);
    if (!ref) return '';
    const { threadId, turnId, includeLater, path, side } = ref;
    const params: ParamsOf<typeof CheckpointReadFile> = { threadId, turnId, includeLater, path, side };
    const { contentBase64 } = CheckpointReadFile.result.parse(await this.client.request(CheckpointReadFile.method, params));
    // Absent on that side (added or deleted by the turn): an empty document, as the diff editor shows one.
    if (contentBase64 === null) return '';
    return textOf(Buffer.from(contentBase64, 'base64'));
  }
}

/** A text file's content; a binary one is only named, its bytes would read as noise. */
export function textOf(bytes: Buffer): string {
  if (bytes.subarray(0, BINARY_PROBE_BYTES).includes(0)) return vscode.l10n.t('(binary file, {0} bytes)', bytes.length);
  return bytes.toString('utf8');
}

/** Closes every tab that shows a document of this `view`. */
export async function closeCheckpointTabs(view: string): Promise<void> {
  const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => showsView(tab, view));
  if (tabs.length > 0) await vscode.window.tabGroups.close(tabs, true);
}

function showsView(tab: vscode.Tab, view: string): boolean {
  const ofView = (uri: unknown) => checkpointViewOf(uri) === view;
  const input = tab.input;
  if (input instanceof vscode.TabInputTextDiff) return ofView(input.modified) || ofView(input.original);
  if (input instanceof vscode.TabInputText) return ofView(input.uri);
  // The multi-file changes editor's input is not in every API version: look at its shape.
  const diffs = (input as { textDiffs?: Array<{ original?: unknown; modified?: unknown }> } | undefined)?.textDiffs;
  return Array.isArray(diffs) && diffs.some((d) => ofView(d.modified) || ofView(d.original));
}
