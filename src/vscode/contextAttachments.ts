// Turns what the chat attaches to a message (the active selection, problems, the terminal's last command,
// web pages) into the text the model reads. The layout is codex's IDE context: sections under
// "# Context from my IDE setup:", then "## My request for Codex:" before the user's own words (sent as the
// next text input), so previews and titles show only the request. Every part is bounded; anything that
// cannot be attached is an error the chat shows, never a silent gap. Each section's text sits in a code
// fence longer than any backtick run in it, so nothing a page, a selection or a command prints can close the
// fence and pose as a heading (to the model, or to the chips the chat reads back from the headings). Free of
// the vscode module: the host passes its sources in. What the model reads stays in English (the layout is codex's); what the user reads
// (why a message was not sent) goes through @vscode/l10n.
import * as l10n from '@vscode/l10n';
import {
  ErrorCode,
  IDE_CONTEXT_HEADING,
  RpcError,
  USER_REQUEST_HEADING,
  type ContextAttachment,
  type EditorSelection,
  type UserInput,
} from '../protocol';

/** Selected text sent with a message: a few hundred lines; more is cut, and the model told so. */
export const MAX_SELECTION_CHARS = 20_000;
/** Problems listed per message: the first ones by severity; the rest are counted. */
export const MAX_PROBLEMS = 200;
/** One problem's message (some tools print pages into a diagnostic). */
export const MAX_PROBLEM_MESSAGE_CHARS = 400;
/** The end of a command's output, where its result and errors are. */
export const MAX_TERMINAL_OUTPUT_CHARS = 20_000;

export type ProblemSeverity = 'error' | 'warning' | 'info' | 'hint';
export interface Problem {
  /** As the user knows the file: relative to the workspace when inside it. */
  path: string;
  /** 1-based. */
  line: number;
  column: number;
  severity: ProblemSeverity;
  message: string;
  source?: string;
  code?: string;
}

export interface TerminalExecution {
  terminal: string;
  commandLine: string;
  exitCode: number | null;
  /** The output's tail, escape sequences removed. */
  output: string;
  /** True when the start of the output was dropped. */
  truncated: boolean;
}

export interface PageText {
  /** Where the text came from (after redirects). */
  url: string;
  title: string | null;
  text: string;
  truncated: boolean;
}

/** What the host reads for each kind of attachment; each throws an Error whose message the chat shows. */
export interface ContextSources {
  /** The file's path as shown, and the selected text (null without a selection). */
  editor(path: string, selection: EditorSelection | null): Promise<{ relativePath: string; text: string | null }>;
  /** Problems of one file, or of the workspace; `scope` names which ("the workspace", "src/a.ts"). */
  problems(path: string | null): { scope: string; problems: Problem[] };
  terminal(): TerminalExecution;
  /** Asks the user (a modal) before any page is fetched; true to fetch them all. */
  confirmFetch(urls: readonly URL[]): Promise<boolean>;
  fetchPage(url: URL): Promise<PageText>;
}

/** The input items to send before the user's text: one text item with every section, or none. */
export async function resolveContext(attachments: readonly ContextAttachment[], sources: ContextSources): Promise<UserInput[]> {
  const unique = [...new Map(attachments.map((attachment) => [JSON.stringify(attachment), attachment])).values()];
  const urls = unique.flatMap((attachment) => (attachment.type === 'url' ? [webAddress(attachment.url)] : []));
  if (urls.length > 0 && !(await sources.confirmFetch(urls))) {
    throw new RpcError(ErrorCode.InvalidRequest, l10n.t('Not sent: you declined fetching {0}. Remove the page to send without it.', urls.map(String).join(', ')));
  }
  const sections = await Promise.all(unique.map((attachment) => section(attachment, sources)));
  if (sections.length === 0) return [];
  return [{ type: 'text', text: `${IDE_CONTEXT_HEADING}\n\n${sections.join('\n\n')}\n\n${USER_REQUEST_HEADING}\n`, text_elements: [] }];
}

async function section(attachment: ContextAttachment, sources: ContextSources): Promise<string> {
  try {
    switch (attachment.type) {
      case 'editor': {
        const { relativePath, text } = await sources.editor(attachment.path, attachment.selection);
        const file = `## Active file: ${oneLine(relativePath)}`;
        if (text === null || attachment.selection === null) return file;
        const cut = text.length > MAX_SELECTION_CHARS;
        const shown = fenced(cut ? text.slice(0, MAX_SELECTION_CHARS) : text);
        const note = cut ? `\n[… ${text.length - MAX_SELECTION_CHARS} more characters of the selection not included]` : '';
        return `${file}\n\n## Active selection of the file (${lineRange(attachment.selection)}):\n${shown}${note}`;
      }
      case 'problems': {
        const { scope, problems } = sources.problems(attachment.path);
        return `## Problems in ${oneLine(scope)}:\n${fenced(formatProblems(problems))}`;
      }
      case 'terminal':
        return terminalSection(sources.terminal());
      case 'url': {
        const page = await sources.fetchPage(webAddress(attachment.url));
        const title = page.title ? ` (${oneLine(page.title)})` : '';
        return `## Web page ${oneLine(page.url)}${title}:\n${fenced(page.text)}${page.truncated ? '\n[… the rest of the page was not included]' : ''}`;
      }
    }
  } catch (error) {
    if (error instanceof RpcError) throw error;
    throw new RpcError(ErrorCode.InvalidRequest, l10n.t('Not sent: {0}', error instanceof Error ? error.message : String(error)));
  }
}

/** "lines 12-30", or "line 12": 1-based; a selection ending at a line's start does not take that line. */
export function lineRange(selection: EditorSelection): string {
  const first = selection.startLine + 1;
  const last = selection.endCharacter === 0 && selection.endLine > selection.startLine ? selection.endLine : selection.endLine + 1;
  return first === last ? `line ${first}` : `lines ${first}-${last}`;
}

/** One line a problem, errors first: `path:line:col severity message (source code)`; bounded. */
export function formatProblems(problems: readonly Problem[], limit = MAX_PROBLEMS): string {
  if (problems.length === 0) return 'No problems reported.';
  const rank: Record<ProblemSeverity, number> = { error: 0, warning: 1, info: 2, hint: 3 };
  const sorted = [...problems].sort((a, b) => rank[a.severity] - rank[b.severity] || a.path.localeCompare(b.path) || a.line - b.line || a.column - b.column);
  const lines = sorted.slice(0, limit).map((problem) => {
    const origin = [problem.source, problem.code].filter(Boolean).join(' ');
    const message = problem.message.replace(/\s+/g, ' ').trim();
    const shown = message.length > MAX_PROBLEM_MESSAGE_CHARS ? `${message.slice(0, MAX_PROBLEM_MESSAGE_CHARS)}…` : message;
    return `${problem.path}:${problem.line}:${problem.column} ${problem.severity} ${shown}${origin ? ` (${origin})` : ''}`;
  });
  if (sorted.length > limit) lines.push(`… and ${sorted.length - limit} more`);
  return lines.join('\n');
}

function terminalSection(execution: TerminalExecution): string {
  const exit = execution.exitCode === null ? 'exit code unknown' : `exit code ${execution.exitCode}`;
  const output = execution.output.trim() ? execution.output.replace(/\s+$/, '') : '(no output)';
  const body = `$ ${execution.commandLine}\n${execution.truncated ? '[… earlier output not included]\n' : ''}${output}`;
  return `## Last command in the terminal “${oneLine(execution.terminal)}” (${exit}):\n${fenced(body)}`;
}

/** A section's text in a backtick fence longer than any backtick run inside it, which nothing inside can close. */
export function fenced(text: string): string {
  let longest = 0;
  for (const run of text.matchAll(/`+/g)) longest = Math.max(longest, run[0].length);
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}\n${text}\n${fence}`;
}

/** A name in a heading (a path, a title, a terminal's name) kept to the heading's line. */
function oneLine(text: string): string {
  return text.replace(/\r\n|[\r\n\u0085\u2028\u2029]/g, ' ');
}

/** Only http(s) pages are fetched. */
export function webAddress(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RpcError(ErrorCode.InvalidRequest, l10n.t('Not sent: {0} is not a web address', JSON.stringify(text.slice(0, 200))));
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RpcError(ErrorCode.InvalidRequest, l10n.t('Not sent: only http and https pages can be fetched, not {0}', url.protocol));
  return url;
}
