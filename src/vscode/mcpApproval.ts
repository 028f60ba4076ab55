// What the native dialog says when the model wants to run an MCP tool that needs approval, and how a choice
// maps to the answer. The server asks it as an `mcpServer/elicitation/request` form marked
// `_meta.codex_approval_kind = "mcp_tool_call"` (as codex does); approvals.ts queues and shows the dialog.
// Free of the vscode module so the wording and the mapping are tested on their own.
import * as l10n from '@vscode/l10n';
import { z } from 'zod';
import type { McpElicitationAnswer, McpServerElicitation, ParamsOf, ThreadItemOf } from '../protocol';
import { notNowTitle, type Decision, type Prompt } from './approvalPrompts';

export type McpElicitationParams = ParamsOf<typeof McpServerElicitation>;

/** The approval facts the server puts in `_meta`; every field but the kind is optional. */
const ToolApprovalMeta = z.looseObject({
  codex_approval_kind: z.literal('mcp_tool_call'),
  persist: z.union([z.string(), z.array(z.string())]).nullish(),
  tool_name: z.string().nullish(),
  tool_title: z.string().nullish(),
  tool_description: z.string().nullish(),
  tool_params: z.unknown().optional(),
  tool_params_display: z.array(z.looseObject({ name: z.string(), value: z.unknown(), display_name: z.string().nullish() })).nullish(),
  tool_annotations: z.looseObject({ destructiveHint: z.boolean().nullish(), readOnlyHint: z.boolean().nullish(), openWorldHint: z.boolean().nullish() }).nullish(),
});
export type ToolApprovalMeta = z.infer<typeof ToolApprovalMeta>;

/** Arguments listed in the dialog; the rest are counted. A modal's detail has no scroll bar. */
const MAX_SHOWN_ARGUMENTS = 12;
/** Characters of one argument's value, and of the tool's description, shown in the dialog. */
const MAX_VALUE_CHARS = 200;
const MAX_DESCRIPTION_CHARS = 400;

/** Whether the request is a tool-call approval (rather than a question of the server's own). */
export function isMcpToolApproval(params: McpElicitationParams): boolean {
  return (params._meta as { codex_approval_kind?: unknown } | null)?.codex_approval_kind === 'mcp_tool_call';
}

/** The approval facts, or the bare kind when the rest cannot be read (the dialog then says less). */
export function toolApprovalMeta(params: McpElicitationParams): ToolApprovalMeta {
  const parsed = ToolApprovalMeta.safeParse(params._meta);
  return parsed.success ? parsed.data : { codex_approval_kind: 'mcp_tool_call' };
}

/** Whether the server offers "for this session". */
export function offersSession(meta: ToolApprovalMeta): boolean {
  const persist = meta.persist;
  return persist === 'session' || (Array.isArray(persist) && persist.includes('session'));
}

/** The tool as the dialog names it: its title when the server gave one, else its name. */
export function toolLabel(meta: ToolApprovalMeta): string {
  return meta.tool_title?.trim() || meta.tool_name || l10n.t('a tool');
}

export function mcpToolPrompt(params: McpElicitationParams): Prompt {
  const meta = toolApprovalMeta(params);
  const lines: string[] = [];
  const title = meta.tool_title?.trim();
  if (title && meta.tool_name && title !== meta.tool_name) lines.push(l10n.t('Tool: {0}', meta.tool_name));
  if (meta.tool_description?.trim()) lines.push(truncate(meta.tool_description.trim(), MAX_DESCRIPTION_CHARS));
  if (lines.length > 0) lines.push('');
  lines.push(...argumentLines(meta));
  const hints = meta.tool_annotations;
  if (hints?.destructiveHint === true) lines.push('', l10n.t('The server marks this tool as one that can change or delete data.'));
  if (hints?.openWorldHint === true) lines.push('', l10n.t('The server says this tool can reach outside this machine.'));
  const notNow = notNowTitle();
  lines.push('', l10n.t('{0} leaves the call waiting; Cancel or Escape cancel it.', notNow));
  return {
    message: l10n.t('Allow the {0} MCP server to run “{1}”?', params.serverName, toolLabel(meta)),
    detail: lines.join('\n'),
    choices: [
      // As in the command dialog, Enter presses the first button: it must not decide.
      { title: notNow, answer: 'later' },
      { title: l10n.t('Allow'), answer: 'accept' },
      ...(offersSession(meta) ? [{ title: l10n.t('Allow for This Session'), answer: 'acceptForSession' as const }] : []),
      { title: l10n.t('Decline'), answer: 'decline' },
    ],
    dismissed: 'cancel',
  };
}

/** The arguments, one per line, each value cut to a readable length; the tool's raw params when no display list came. */
function argumentLines(meta: ToolApprovalMeta): string[] {
  const display = meta.tool_params_display ?? [];
  if (display.length === 0) {
    const raw = meta.tool_params;
    if (raw === undefined || raw === null || (typeof raw === 'object' && Object.keys(raw).length === 0)) return [l10n.t('No arguments.')];
    return [l10n.t('Arguments:'), truncate(valueText(raw), MAX_VALUE_CHARS * 2)];
  }
  const lines = [l10n.t('Arguments:')];
  for (const entry of display.slice(0, MAX_SHOWN_ARGUMENTS)) lines.push(`  ${entry.display_name || entry.name}: ${truncate(valueText(entry.value), MAX_VALUE_CHARS)}`);
  if (display.length > MAX_SHOWN_ARGUMENTS) lines.push(`  ${l10n.t('… and {0} more', display.length - MAX_SHOWN_ARGUMENTS)}`);
  return lines;
}

/** A value as JSON: a string keeps its quotes, so an empty or multi-line value reads unambiguously. */
function valueText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The answer the server reads; "for this session" rides in `_meta.persist`, as codex sends it. */
export function mcpToolAnswer(decision: Decision): McpElicitationAnswer {
  switch (decision) {
    case 'accept':
    case 'acceptPrefix':
      return { action: 'accept', content: null, _meta: null };
    case 'acceptForSession':
      return { action: 'accept', content: null, _meta: { persist: 'session' } };
    case 'decline':
      return { action: 'decline', content: null, _meta: null };
    case 'cancel':
      return { action: 'cancel', content: null, _meta: null };
  }
}

/** The notification that stands in for a dialog held back (the user was typing) or put off with Not Now. */
export function mcpWaitingNotice(params: McpElicitationParams): string {
  return l10n.t('Tandem is waiting for your approval to run “{0}” of the {1} MCP server.', toolLabel(toolApprovalMeta(params)), params.serverName);
}

/** A running tool call the host saw start, with its thread. */
export interface RunningToolCall {
  threadId: string;
  item: ThreadItemOf<'mcpToolCall'>;
}

/**
 * The running `mcpToolCall` item the approval is for (the request names no item): the latest one of the
 * same thread, server and tool, preferring one whose arguments match. Undefined when the host never saw it.
 */
export function toolCallItemFor(running: Iterable<RunningToolCall>, params: McpElicitationParams, taken: ReadonlySet<string>): ThreadItemOf<'mcpToolCall'> | undefined {
  const meta = toolApprovalMeta(params);
  const candidates = [...running]
    .filter(({ threadId, item }) => threadId === params.threadId && item.server === params.serverName && (!meta.tool_name || item.tool === meta.tool_name) && !taken.has(item.id))
    .map(({ item }) => item);
  const wanted = valueText(meta.tool_params ?? null);
  const matching = candidates.filter((item) => valueText(item.arguments ?? null) === wanted);
  return matching.at(-1) ?? candidates.at(-1);
}
