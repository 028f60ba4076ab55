// One model call of an MCP tool: an `mcpToolCall` item, the approval the tool's annotations and the
// server's settings call for (asked as an `mcpServer/elicitation/request` form, as codex asks it), the
// call itself with progress, timeout and interrupt, and the output the model reads.
import { McpServerElicitation, McpToolCallProgress, type AskForApproval, type ThreadItemOf } from '../../protocol';
import type { ContentItem, FunctionOutput, ToolCallItem } from '../model/responseItems';
import { parseArguments, type ToolCallContext, type ToolResult } from '../tools/registry';
import type { McpConnection } from './mcpConnection';
import { toolApprovalMode, type McpServerConfig } from './mcpConfig';
import { messageOf } from './errorMessage';
import type { McpTool } from '../../protocol';

export interface ToolAnnotations {
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  openWorldHint?: boolean;
}

type Decision = 'accept' | 'acceptForSession' | 'decline' | 'cancel' | { refused: string };

/** Runs `tool` of `server` for the model's `call`. */
export async function runMcpToolCall(
  call: ToolCallItem,
  server: McpServerConfig,
  connection: McpConnection,
  tool: McpTool,
  context: ToolCallContext,
  options: { supportsImages: boolean },
): Promise<ToolResult> {
  const parsed = call.type === 'function_call' && call.arguments.trim() === '' ? ({ ok: true, value: undefined } as const) : parseArguments(call);
  if (!parsed.ok) return { output: `err: ${parsed.message}`, success: false };
  const annotations = annotationsOf(tool);
  const item: ThreadItemOf<'mcpToolCall'> = {
    type: 'mcpToolCall',
    id: call.call_id,
    server: server.name,
    tool: tool.name,
    status: 'inProgress',
    arguments: parsed.value ?? null,
    appContext: null,
    mcpAppUi: null,
    pluginId: null,
    readOnlyHint: typeof annotations?.readOnlyHint === 'boolean' ? annotations.readOnlyHint : null,
    result: null,
    error: null,
    durationMs: null,
  };
  const started = Date.now();
  await context.startItem(item);
  const fail = (message: string): ToolResult => {
    context.completeItem({ ...item, status: 'failed', error: { message }, durationMs: 0 });
    return { output: withWallTime(started, [{ type: 'input_text', text: message }]), success: false };
  };

  const decision = await approve(server, tool, annotations, parsed.value, context);
  // The thread's status leaves waitingOnApproval on the next tick; the item ends after it, as in codex.
  if (decision !== 'accept') await new Promise((resolve) => setImmediate(resolve));
  if (decision === 'decline') return fail('user rejected MCP tool call');
  if (decision === 'cancel') return fail('user cancelled MCP tool call');
  if (typeof decision === 'object') return fail(decision.refused);

  try {
    await context.writeAhead();
    const result = await connection.callTool(tool.name, parsed.value, {
      signal: context.signal,
      onProgress: (message) => context.notify(McpToolCallProgress, { threadId: context.threadId, turnId: context.turnId, itemId: item.id, message }),
    });
    const durationMs = Date.now() - started;
    context.completeItem({
      ...item,
      status: result.isError ? 'failed' : 'completed',
      result: { content: result.content, structuredContent: result.structuredContent ?? null, _meta: result._meta ?? null },
      durationMs,
    });
    return { output: outputOf(started, result.content, result.structuredContent, result.isError, options.supportsImages), success: !result.isError };
  } catch (error) {
    const message = context.signal.aborted ? 'tool call was interrupted' : `tool call error: ${messageOf(error)}`;
    context.completeItem({ ...item, status: 'failed', error: { message }, durationMs: Date.now() - started });
    return { output: withWallTime(started, [{ type: 'input_text', text: message }]), success: false };
  }
}

/** Whether the tool's hints call for asking: destructive, or neither read-only nor closed-world (absent hints count as risky). */
export function requiresApproval(annotations: ToolAnnotations | undefined): boolean {
  if (annotations?.destructiveHint === true) return true;
  if (annotations?.readOnlyHint === true) return false;
  return (annotations?.destructiveHint ?? true) || (annotations?.openWorldHint ?? true);
}

async function approve(server: McpServerConfig, tool: McpTool, annotations: ToolAnnotations | undefined, args: unknown, context: ToolCallContext): Promise<Decision> {
  if (isFullAccess(context.approvalPolicy, context.sandbox.type)) return 'accept';
  const mode = toolApprovalMode(server, tool.name);
  if (mode === 'approve') return 'accept';
  if (mode === 'writes' && annotations?.readOnlyHint === true) return 'accept';
  if (mode === 'auto' && !requiresApproval(annotations)) return 'accept';
  if (mode === 'auto' && context.sessionApprovals.mcpToolApproved(server.name, tool.name)) return 'accept';
  if (!mayAsk(context.approvalPolicy)) {
    return { refused: context.approvalPolicy === 'never' ? 'MCP tool call requires approval, but approval policy is never' : 'MCP tool call requires approval, but the approval policy turns MCP questions off (mcp_elicitations = false)' };
  }

  const display = args && typeof args === 'object' && !Array.isArray(args) ? Object.entries(args).sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, value]) => ({ name, value, display_name: name })) : undefined;
  const meta: Record<string, unknown> = { codex_approval_kind: 'mcp_tool_call' };
  // Offered as codex offers it; "always" is kept for this session too (Tandem writes no approvals to config).
  if (mode === 'auto') meta.persist = ['session', 'always'];
  meta.tool_name = tool.name;
  if (tool.annotations !== undefined) meta.tool_annotations = tool.annotations;
  if (tool.title) meta.tool_title = tool.title;
  if (tool.description) meta.tool_description = tool.description;
  if (args !== undefined) meta.tool_params = args;
  if (display) meta.tool_params_display = display;
  let answer: { action?: unknown; _meta?: unknown };
  try {
    answer = (await context.requestFromClient(McpServerElicitation, {
      threadId: context.threadId,
      turnId: context.turnId,
      serverName: server.name,
      mode: 'form',
      _meta: meta,
      message: `Allow the ${server.name} MCP server to run tool "${tool.name}"?`,
      requestedSchema: { type: 'object', properties: {} },
    })) as { action?: unknown; _meta?: unknown };
  } catch {
    return 'cancel';
  }
  if (answer?.action === 'decline') return 'decline';
  if (answer?.action !== 'accept') return 'cancel';
  const persist = (answer._meta as { persist?: unknown } | null | undefined)?.persist;
  if (mode === 'auto' && (persist === 'session' || persist === 'always')) {
    context.sessionApprovals.rememberMcpTool(server.name, tool.name);
    return 'acceptForSession';
  }
  return 'accept';
}

function isFullAccess(policy: AskForApproval, sandbox: string): boolean {
  return policy === 'never' && (sandbox === 'dangerFullAccess' || sandbox === 'externalSandbox');
}

/** Whether MCP questions may be put to the user under this policy. */
export function mayAsk(policy: AskForApproval): boolean {
  if (policy === 'never') return false;
  if (typeof policy === 'object' && 'granular' in policy) return policy.granular.mcp_elicitations;
  return true;
}

export function annotationsOf(tool: McpTool): ToolAnnotations | undefined {
  const value = tool.annotations;
  return typeof value === 'object' && value !== null ? (value as ToolAnnotations) : undefined;
}

function wallTime(started: number): string {
  return `Wall time: ${((Date.now() - started) / 1000).toFixed(4)} seconds\nOutput:`;
}

function withWallTime(started: number, items: ContentItem[]): FunctionOutput {
  return [{ type: 'input_text', text: wallTime(started) }, ...items];
}

/** What the model reads: structured content as JSON text when there is some, else each content block. */
function outputOf(started: number, content: unknown[], structured: unknown, isError: boolean, supportsImages: boolean): FunctionOutput {
  if (!isError && structured !== null && structured !== undefined) return `${wallTime(started)}\n${JSON.stringify(structured)}`;
  return withWallTime(started, content.map((block) => contentItemOf(block, supportsImages)));
}

function contentItemOf(block: unknown, supportsImages: boolean): ContentItem {
  const b = (block ?? {}) as { type?: unknown; text?: unknown; data?: unknown; mimeType?: unknown; resource?: { uri?: unknown; text?: unknown; mimeType?: unknown } };
  if (b.type === 'text' && typeof b.text === 'string') return { type: 'input_text', text: b.text };
  if (b.type === 'image' && typeof b.data === 'string') {
    if (!supportsImages) return { type: 'input_text', text: '<image content omitted because you do not support image input>' };
    const mime = typeof b.mimeType === 'string' && /^image\/[\w.+-]+$/.test(b.mimeType) ? b.mimeType : 'image/png';
    return { type: 'input_image', image_url: `data:${mime};base64,${b.data}`, detail: 'high' };
  }
  if (b.type === 'resource' && typeof b.resource?.text === 'string') return { type: 'input_text', text: b.resource.text };
  return { type: 'input_text', text: JSON.stringify(block) };
}
