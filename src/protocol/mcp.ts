// MCP servers the user configured: their status and inventory, direct tool calls and resource reads,
// startup and sign-in notifications, and the elicitation a server (or a tool approval) asks of the user.
// Tools, resources and contents keep the MCP specification's own field names.
import { z } from 'zod';
import { lazy } from './lazy';
import { notification, request } from './method';

/** An MCP tool as the server listed it. */
export const McpTool = lazy(() => z.looseObject({
  name: z.string(),
  title: z.string().nullish(),
  description: z.string().nullish(),
  inputSchema: z.unknown(),
  outputSchema: z.unknown().optional(),
  annotations: z.unknown().optional(),
  icons: z.array(z.unknown()).nullish(),
  _meta: z.unknown().optional(),
}));
export type McpTool = z.infer<typeof McpTool>;

export const McpResource = lazy(() => z.looseObject({
  uri: z.string(),
  name: z.string(),
  title: z.string().nullish(),
  description: z.string().nullish(),
  mimeType: z.string().nullish(),
  size: z.number().int().nullish(),
}));
export type McpResource = z.infer<typeof McpResource>;

export const McpResourceTemplate = lazy(() => z.looseObject({
  uriTemplate: z.string(),
  name: z.string(),
  title: z.string().nullish(),
  description: z.string().nullish(),
  mimeType: z.string().nullish(),
}));
export type McpResourceTemplate = z.infer<typeof McpResourceTemplate>;

export const McpResourceContent = lazy(() => z.union([
  z.looseObject({ uri: z.string(), mimeType: z.string().nullish(), text: z.string() }),
  z.looseObject({ uri: z.string(), mimeType: z.string().nullish(), blob: z.string() }),
]));
export type McpResourceContent = z.infer<typeof McpResourceContent>;

export const McpServerInfo = lazy(() => z.object({
  name: z.string(),
  version: z.string(),
  title: z.string().nullish(),
  description: z.string().nullish(),
  icons: z.array(z.unknown()).nullish(),
  websiteUrl: z.string().nullish(),
}));

export const McpAuthStatus = lazy(() => z.enum(['unknown', 'unsupported', 'notLoggedIn', 'bearerToken', 'oAuth']));
export type McpAuthStatus = z.infer<typeof McpAuthStatus>;
export const McpServerConnectionStatus = lazy(() => z.enum(['notStarted', 'starting', 'connected', 'authenticationRequired', 'failed', 'cancelled', 'disabled']));
export type McpServerConnectionStatus = z.infer<typeof McpServerConnectionStatus>;

export const McpServerStatus = lazy(() => z.object({
  name: z.string(),
  runtimeStatus: McpServerConnectionStatus.nullish(),
  pluginId: z.string().nullish(),
  /** The server's HTTP origin (no credentials, path or query); null for stdio servers. */
  httpOrigin: z.string().nullish(),
  serverInfo: McpServerInfo.nullish(),
  serverCapabilities: z.unknown().optional(),
  toolListMeta: z.unknown().optional(),
  tools: z.record(z.string(), McpTool),
  /** Why listing the tools failed (the server did not start, or its answer could not be read). */
  toolsError: z.string().nullish(),
  resources: z.array(McpResource),
  resourceTemplates: z.array(McpResourceTemplate),
  authStatus: McpAuthStatus,
}));
export type McpServerStatus = z.infer<typeof McpServerStatus>;

export const McpServerStatusList = request(
  'mcpServerStatus/list',
  () => z.object({
    cursor: z.string().nullish(),
    limit: z.number().int().nonnegative().nullish(),
    detail: z.enum(['full', 'toolsAndAuthOnly']).nullish(),
    serverName: z.string().nullish(),
    threadId: z.string().nullish(),
  }),
  () => z.object({ data: z.array(McpServerStatus), nextCursor: z.string().nullable() }),
);

export const McpServerToolCall = request(
  'mcpServer/tool/call',
  () => z.object({ threadId: z.string(), server: z.string(), tool: z.string(), arguments: z.unknown().optional(), _meta: z.unknown().optional() }),
  () => z.object({ content: z.array(z.unknown()), structuredContent: z.unknown().optional(), isError: z.boolean().nullish(), _meta: z.unknown().optional() }),
);

export const McpResourceRead = request(
  'mcpServer/resource/read',
  () => z.object({ threadId: z.string().nullish(), server: z.string(), uri: z.string(), _meta: z.record(z.string(), z.unknown()).nullish() }),
  () => z.object({ contents: z.array(McpResourceContent) }),
);

export const McpServerReload = request('config/mcpServer/reload', () => z.object({}).optional(), () => z.object({}));

export const McpServerOauthLogin = request(
  'mcpServer/oauth/login',
  () => z.object({ name: z.string(), threadId: z.string().nullish(), scopes: z.array(z.string()).nullish(), timeoutSecs: z.number().int().nullish() }),
  () => z.object({ authorizationUrl: z.string(), loginId: z.string().nullish() }),
);

export const McpServerStartupState = lazy(() => z.enum(['starting', 'ready', 'failed', 'cancelled']));
export type McpServerStartupState = z.infer<typeof McpServerStartupState>;

export const McpServerStartupStatusUpdated = notification(
  'mcpServer/startupStatus/updated',
  () => z.object({
    threadId: z.string().nullable(),
    name: z.string(),
    status: McpServerStartupState,
    error: z.string().nullable(),
    failureReason: z.enum(['reauthenticationRequired']).nullable(),
  }),
);

export const McpServerOauthLoginCompleted = notification(
  'mcpServer/oauthLogin/completed',
  () => z.object({ name: z.string(), threadId: z.string().nullable(), success: z.boolean(), error: z.string().nullish(), loginId: z.string().nullish() }),
);

export const McpToolCallProgress = notification('item/mcpToolCall/progress', () => z.object({ threadId: z.string(), turnId: z.string(), itemId: z.string(), message: z.string() }));

/** What the user is asked: a form (a flat object schema of primitive fields) or a page to open. */
export const McpElicitationRequest = lazy(() => z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('form'), _meta: z.unknown().nullable(), message: z.string(), requestedSchema: z.record(z.string(), z.unknown()) }),
  z.object({ mode: z.literal('url'), _meta: z.unknown().nullable(), message: z.string(), url: z.string(), elicitationId: z.string() }),
]));

export const McpServerElicitation = request(
  'mcpServer/elicitation/request',
  () => z.intersection(z.object({ threadId: z.string(), turnId: z.string().nullable(), serverName: z.string() }), McpElicitationRequest),
  () => z.object({ action: z.enum(['accept', 'decline', 'cancel']), content: z.unknown().optional(), _meta: z.unknown().optional() }),
);
export type McpElicitationAnswer = z.infer<typeof McpServerElicitation.result>;
