// codex's rollouts record each finished item in its core shape (`{"type":"CommandExecution",…}`, snake_case
// fields, `file://` working directories), not the app-server shape Tandem records. This turns one into the
// thread item a client receives, or undefined for kinds Tandem has no item for (they are left out).
import { joinCommand } from '../../protocol/shellCommand';
import { type CommandAction, type FileUpdateChange, type ThreadItem, type UserInput } from '../../protocol';

type Raw = Record<string, unknown>;

const isRecord = (value: unknown): value is Raw => typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
/** codex has written both spellings of a field over its versions. */
const field = (raw: Raw, snake: string, camel: string): unknown => raw[snake] ?? raw[camel];

/** True for an item in codex's core shape (its kinds are PascalCase; Tandem's are camelCase). */
export function isCodexCoreItem(item: unknown): boolean {
  const type = isRecord(item) ? str(item.type) : undefined;
  return type !== undefined && /^[A-Z]/.test(type);
}

export function fromCodexItem(raw: unknown): ThreadItem | undefined {
  if (!isRecord(raw) || typeof raw.id !== 'string') return undefined;
  const id = raw.id;
  switch (raw.type) {
    case 'UserMessage': {
      const clientId = str(field(raw, 'client_id', 'clientId'));
      const content = list(raw.content).map(userInput).filter((input) => input !== undefined);
      return clientId ? { type: 'userMessage', id, clientId, content } : { type: 'userMessage', id, content };
    }
    case 'AgentMessage': {
      const text = list(raw.content)
        .map((part) => (isRecord(part) ? (str(part.text) ?? '') : ''))
        .join('');
      const phase = raw.phase === 'commentary' || raw.phase === 'final_answer' ? raw.phase : null;
      return { type: 'agentMessage', id, text, phase };
    }
    case 'Reasoning':
      return { type: 'reasoning', id, summary: strings(field(raw, 'summary_text', 'summaryText')), content: strings(field(raw, 'raw_content', 'rawContent')) };
    case 'CommandExecution':
      return commandExecution(id, raw);
    case 'FileChange':
      return { type: 'fileChange', id, changes: fileChanges(raw.changes), status: itemStatus(raw.status) ?? 'completed' };
    case 'DynamicToolCall': {
      const status = itemStatus(raw.status);
      const items = field(raw, 'content_items', 'contentItems');
      return {
        type: 'dynamicToolCall',
        id,
        namespace: str(raw.namespace) ?? null,
        tool: str(raw.tool) ?? '',
        arguments: raw.arguments ?? null,
        status: status === 'declined' || status === undefined ? 'failed' : status,
        contentItems: Array.isArray(items) ? items.map(dynamicContent).filter((item) => item !== undefined) : null,
        success: typeof raw.success === 'boolean' ? raw.success : null,
        durationMs: durationMs(raw.duration),
      };
    }
    case 'ContextCompaction':
      return { type: 'contextCompaction', id };
    case 'ImageView': {
      const at = str(raw.path);
      return at ? { type: 'imageView', id, path: at.replace(/^file:\/\//, '') } : undefined;
    }
    default:
      return undefined;
  }
}

function commandExecution(id: string, raw: Raw): ThreadItem {
  const command = raw.command;
  const source = str(raw.source);
  const exitCode = field(raw, 'exit_code', 'exitCode');
  const item: ThreadItem = {
    type: 'commandExecution',
    id,
    command: Array.isArray(command) ? joinCommand(command.map(String)) : (str(command) ?? ''),
    cwd: pathOf(raw.cwd),
    processId: str(field(raw, 'process_id', 'processId')) ?? null,
    status: itemStatus(raw.status) ?? 'completed',
    commandActions: list(field(raw, 'parsed_cmd', 'parsedCmd')).map(commandAction).filter((action) => action !== undefined),
    aggregatedOutput: str(field(raw, 'aggregated_output', 'aggregatedOutput')) ?? null,
    exitCode: typeof exitCode === 'number' ? exitCode : null,
    durationMs: durationMs(raw.duration),
  };
  const camelSource = source ? camel(source) : undefined;
  if (camelSource === 'agent' || camelSource === 'userShell' || camelSource === 'unifiedExecStartup' || camelSource === 'unifiedExecInteraction') item.source = camelSource;
  return item;
}

function userInput(raw: unknown): UserInput | undefined {
  if (!isRecord(raw)) return undefined;
  const detail = raw.detail === 'auto' || raw.detail === 'low' || raw.detail === 'high' || raw.detail === 'original' ? raw.detail : null;
  switch (raw.type) {
    case 'text': {
      const elements = list(field(raw, 'text_elements', 'textElements')).filter(isRecord);
      return {
        type: 'text',
        text: str(raw.text) ?? '',
        text_elements: elements.map((element) => {
          const range = field(element, 'byte_range', 'byteRange');
          const { start = 0, end = 0 } = isRecord(range) ? (range as { start?: number; end?: number }) : {};
          return { byteRange: { start, end }, placeholder: str(element.placeholder) ?? null };
        }),
      };
    }
    case 'image':
      return { type: 'image', url: str(field(raw, 'image_url', 'url')) ?? '', detail };
    case 'local_image':
    case 'localImage':
      return { type: 'localImage', path: str(raw.path) ?? '', detail };
    case 'skill':
    case 'mention':
      return { type: raw.type, name: str(raw.name) ?? '', path: str(raw.path) ?? '' };
    default:
      return undefined;
  }
}

function commandAction(raw: unknown): CommandAction | undefined {
  if (!isRecord(raw)) return undefined;
  const command = str(field(raw, 'cmd', 'command')) ?? '';
  const path = str(raw.path) ?? null;
  switch (raw.type) {
    case 'read':
      return { type: 'read', command, name: str(raw.name) ?? '', path: path ?? '' };
    case 'list_files':
    case 'listFiles':
      return { type: 'listFiles', command, path };
    case 'search':
      return { type: 'search', command, query: str(raw.query) ?? null, path };
    default:
      return { type: 'unknown', command };
  }
}

/** codex keys a patch's changes by path: `{type:"add",content}`, `{type:"delete",content}`, `{type:"update",unified_diff,move_path}`. */
function fileChanges(raw: unknown): FileUpdateChange[] {
  if (!isRecord(raw)) return [];
  const changes: FileUpdateChange[] = [];
  for (const [path, change] of Object.entries(raw)) {
    if (!isRecord(change)) continue;
    if (change.type === 'add' || change.type === 'delete') changes.push({ path, kind: { type: change.type }, diff: str(change.content) ?? '' });
    else if (change.type === 'update') changes.push({ path, kind: { type: 'update', move_path: str(field(change, 'move_path', 'movePath')) ?? null }, diff: str(field(change, 'unified_diff', 'unifiedDiff')) ?? '' });
  }
  return changes;
}

function dynamicContent(raw: unknown): { type: 'inputText'; text: string } | { type: 'inputImage'; imageUrl: string } | undefined {
  if (!isRecord(raw)) return undefined;
  if ((raw.type === 'inputText' || raw.type === 'input_text') && typeof raw.text === 'string') return { type: 'inputText', text: raw.text };
  const url = str(field(raw, 'image_url', 'imageUrl'));
  if ((raw.type === 'inputImage' || raw.type === 'input_image') && url !== undefined) return { type: 'inputImage', imageUrl: url };
  return undefined;
}

function itemStatus(raw: unknown): 'inProgress' | 'completed' | 'failed' | 'declined' | undefined {
  const status = typeof raw === 'string' ? camel(raw) : undefined;
  return status === 'inProgress' || status === 'completed' || status === 'failed' || status === 'declined' ? status : undefined;
}

/** A Rust `Duration` (`{secs,nanos}`), or milliseconds. */
function durationMs(raw: unknown): number | null {
  if (typeof raw === 'number') return Math.round(raw);
  if (!isRecord(raw) || typeof raw.secs !== 'number') return null;
  return raw.secs * 1000 + Math.floor((typeof raw.nanos === 'number' ? raw.nanos : 0) / 1_000_000);
}

/** codex writes working directories as `file://` URIs. */
function pathOf(raw: unknown): string {
  const text = str(raw) ?? '';
  if (!text.startsWith('file://')) return text;
  try {
    return decodeURIComponent(new URL(text).pathname);
  } catch {
    return text;
  }
}

const strings = (raw: unknown): string[] => list(raw).filter((s): s is string => typeof s === 'string');

export const camel = (text: string): string => text.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
