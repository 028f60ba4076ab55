// User input and thread items and the item-level notifications.
import { z } from 'zod';
import { lazy } from './lazy';
import { notification } from './method';

export const TextElement = lazy(() => z.object({
  byteRange: z.object({ start: z.number().int(), end: z.number().int() }),
  placeholder: z.string().nullish(),
}));

export const ImageDetail = lazy(() => z.enum(['auto', 'low', 'high', 'original']));

export const UserInput = lazy(() => z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string(), text_elements: z.array(TextElement).optional() }),
  z.object({ type: z.literal('image'), url: z.string(), detail: ImageDetail.nullish() }),
  z.object({ type: z.literal('localImage'), path: z.string(), detail: ImageDetail.nullish() }),
  z.object({ type: z.literal('skill'), name: z.string(), path: z.string() }),
  z.object({ type: z.literal('mention'), name: z.string(), path: z.string() }),
]));
export type UserInput = z.infer<typeof UserInput>;

export const CommandAction = lazy(() => z.discriminatedUnion('type', [
  z.object({ type: z.literal('read'), command: z.string(), name: z.string(), path: z.string() }),
  z.object({ type: z.literal('listFiles'), command: z.string(), path: z.string().nullable() }),
  z.object({ type: z.literal('search'), command: z.string(), query: z.string().nullable(), path: z.string().nullable() }),
  z.object({ type: z.literal('unknown'), command: z.string() }),
]));
export type CommandAction = z.infer<typeof CommandAction>;

export const PatchChangeKind = lazy(() => z.discriminatedUnion('type', [
  z.object({ type: z.literal('add') }),
  z.object({ type: z.literal('delete') }),
  z.object({ type: z.literal('update'), move_path: z.string().nullable() }),
]));
export const FileUpdateChange = lazy(() => z.object({ path: z.string(), kind: PatchChangeKind, diff: z.string() }));
export type FileUpdateChange = z.infer<typeof FileUpdateChange>;

const ItemStatus = lazy(() => z.enum(['inProgress', 'completed', 'failed', 'declined']));

export const DynamicToolCallOutputContentItem = lazy(() => z.discriminatedUnion('type', [
  z.object({ type: z.literal('inputText'), text: z.string() }),
  z.object({ type: z.literal('inputImage'), imageUrl: z.string() }),
]));

/** What an MCP tool answered: content blocks as the MCP specification defines them. */
export const McpToolCallResult = lazy(() => z.object({ content: z.array(z.unknown()), structuredContent: z.unknown().nullable(), _meta: z.unknown().nullable() }));
export type McpToolCallResult = z.infer<typeof McpToolCallResult>;

export const ThreadItem = lazy(() => z.discriminatedUnion('type', [
  z.object({ type: z.literal('userMessage'), id: z.string(), clientId: z.string().nullish(), content: z.array(UserInput) }),
  z.object({
    type: z.literal('agentMessage'),
    id: z.string(),
    text: z.string(),
    phase: z.enum(['commentary', 'final_answer']).nullish(),
  }),
  z.object({ type: z.literal('reasoning'), id: z.string(), summary: z.array(z.string()), content: z.array(z.string()) }),
  z.object({
    type: z.literal('commandExecution'),
    id: z.string(),
    command: z.string(),
    cwd: z.string(),
    processId: z.string().nullable(),
    source: z.enum(['agent', 'userShell', 'unifiedExecStartup', 'unifiedExecInteraction']).optional(),
    status: ItemStatus,
    commandActions: z.array(CommandAction),
    aggregatedOutput: z.string().nullable(),
    exitCode: z.number().int().nullable(),
    durationMs: z.number().int().nullable(),
  }),
  z.object({
    type: z.literal('fileChange'),
    id: z.string(),
    changes: z.array(FileUpdateChange),
    status: ItemStatus,
    /**
     * Tandem's own, set only when the user accepted part of the change: the files they rejected, which were
     * not written. `changes` then lists only the files written.
     */
    tandemRejectedChanges: z.array(FileUpdateChange).optional(),
  }),
  z.object({
    type: z.literal('dynamicToolCall'),
    id: z.string(),
    namespace: z.string().nullable(),
    tool: z.string(),
    arguments: z.unknown(),
    status: z.enum(['inProgress', 'completed', 'failed']),
    contentItems: z.array(DynamicToolCallOutputContentItem).nullable(),
    success: z.boolean().nullable(),
    durationMs: z.number().int().nullable(),
  }),
  /** A call to a tool of an MCP server: `tool` is the server's own name for it. */
  z.object({
    type: z.literal('mcpToolCall'),
    id: z.string(),
    server: z.string(),
    tool: z.string(),
    status: z.enum(['inProgress', 'completed', 'failed']),
    arguments: z.unknown(),
    appContext: z.null().optional(),
    pluginId: z.string().nullish(),
    readOnlyHint: z.boolean().nullish(),
    mcpAppUi: z.null().optional(),
    result: McpToolCallResult.nullable(),
    error: z.object({ message: z.string() }).nullable(),
    durationMs: z.number().int().nullable(),
  }),
  z.object({ type: z.literal('contextCompaction'), id: z.string() }),
  /** The model looked at an image file (`view_image`). */
  z.object({ type: z.literal('imageView'), id: z.string(), path: z.string() }),
  /** A review turn begins (`review`: what is reviewed) and ends (`review`: the rendered findings). */
  z.object({ type: z.literal('enteredReviewMode'), id: z.string(), review: z.string() }),
  z.object({ type: z.literal('exitedReviewMode'), id: z.string(), review: z.string() }),
]));
export type ThreadItem = z.infer<typeof ThreadItem>;
export type ThreadItemOf<T extends ThreadItem['type']> = Extract<ThreadItem, { type: T }>;

const itemScope = () => ({ threadId: z.string(), turnId: z.string() });

export const ItemStarted = notification('item/started', () => z.object({ ...itemScope(), item: ThreadItem, startedAtMs: z.number().int() }));
export const ItemCompleted = notification('item/completed', () => z.object({ ...itemScope(), item: ThreadItem, completedAtMs: z.number().int() }));
export const AgentMessageDelta = notification('item/agentMessage/delta', () => z.object({ ...itemScope(), itemId: z.string(), delta: z.string() }));
export const ReasoningSummaryTextDelta = notification(
  'item/reasoning/summaryTextDelta',
  () => z.object({ ...itemScope(), itemId: z.string(), delta: z.string(), summaryIndex: z.number().int() }),
);
export const ReasoningSummaryPartAdded = notification(
  'item/reasoning/summaryPartAdded',
  () => z.object({ ...itemScope(), itemId: z.string(), summaryIndex: z.number().int() }),
);
export const ReasoningTextDelta = notification(
  'item/reasoning/textDelta',
  () => z.object({ ...itemScope(), itemId: z.string(), delta: z.string(), contentIndex: z.number().int() }),
);
export const CommandExecutionOutputDelta = notification('item/commandExecution/outputDelta', () => z.object({ ...itemScope(), itemId: z.string(), delta: z.string() }));
