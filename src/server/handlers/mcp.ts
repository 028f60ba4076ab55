// MCP methods for clients: each server's status and inventory, a direct tool call (the client is the
// user: no approval), a resource read, reloading the servers after the config changed, and signing in to
// an HTTP server with OAuth.
import {
  invalidRequest,
  McpResourceRead,
  McpServerOauthLogin,
  McpServerOauthLoginCompleted,
  McpServerReload,
  McpServerStatusList,
  McpServerToolCall,
} from '../../protocol';
import type { McpHub } from '../../core/mcp/mcpHub';
import type { McpManager } from '../../core/mcp/mcpManager';
import { messageOf } from '../../core/mcp/errorMessage';
import type { ThreadManager } from '../../core/thread/threadManager';
import type { AppServer } from '../appServer';
import { exclusive } from '../serialization';
import { byThread } from './threads';

const DEFAULT_PAGE = 100;

export function registerMcpHandlers(server: AppServer, threads: ThreadManager, hub: McpHub): void {
  const { registry } = server;
  const managerFor = (threadId: string | null | undefined): McpManager => (threadId ? hub.open(threads.get(threadId)) : hub.shared());

  registry.register(McpServerStatusList, {
    key: () => exclusive('mcp-registry'),
    handle: async (params) => {
      const manager = managerFor(params.threadId);
      if (params.serverName && !manager.config(params.serverName)) throw invalidRequest(`there is no MCP server named ${params.serverName}`);
      const listed = await manager.statuses(params.detail ?? 'full', params.serverName ?? undefined);
      // Without a thread there is no thread runtime to report on: codex answers runtimeStatus null then.
      const all = params.threadId ? listed : listed.map((status) => ({ ...status, runtimeStatus: null }));
      const start = params.cursor ? cursorIndex(params.cursor, all.length) : 0;
      const limit = params.limit && params.limit > 0 ? params.limit : DEFAULT_PAGE;
      return { data: all.slice(start, start + limit), nextCursor: start + limit < all.length ? String(start + limit) : null };
    },
  });

  registry.register(McpServerToolCall, {
    key: byThread,
    handle: async (params, context) => {
      const manager = managerFor(params.threadId);
      const connection = await ready(manager, params.server);
      if (!connection.tools.some((t) => t.name === params.tool)) throw invalidRequest(`the MCP server ${params.server} has no tool ${params.tool}`);
      if (params.arguments !== undefined && params.arguments !== null && (typeof params.arguments !== 'object' || Array.isArray(params.arguments))) {
        throw invalidRequest('arguments must be a JSON object');
      }
      try {
        const meta = typeof params._meta === 'object' && params._meta !== null ? (params._meta as Record<string, unknown>) : undefined;
        const result = await connection.callTool(params.tool, (params.arguments ?? undefined) as Record<string, unknown> | undefined, { signal: context.signal, meta });
        return { content: result.content, structuredContent: result.structuredContent, isError: result.isError, _meta: result._meta };
      } catch (error) {
        throw invalidRequest(`tool call error: ${messageOf(error)}`);
      }
    },
  });

  registry.register(McpResourceRead, {
    key: () => null,
    handle: async (params, context) => {
      const connection = await ready(managerFor(params.threadId), params.server);
      try {
        return { contents: await connection.readResource(params.uri, context.signal) };
      } catch (error) {
        throw invalidRequest(`failed to read resource ${params.uri} from ${params.server}: ${messageOf(error)}`);
      }
    },
  });

  registry.register(McpServerReload, {
    key: () => exclusive('mcp-registry'),
    handle: async () => {
      await hub.reload();
      return {};
    },
  });

  // Answers with the authorization URL at once; the sign-in ends later, with a notification to every
  // client, and the server restarts with its new tokens wherever it runs.
  registry.register(McpServerOauthLogin, {
    key: () => null,
    handle: async (params) => {
      const config = hub.serverConfig(params.name, params.threadId ? threads.get(params.threadId) : undefined);
      if (!config) throw invalidRequest(`there is no MCP server named ${params.name}`);
      if (config.transport.type !== 'streamableHttp') throw invalidRequest(`OAuth login is only supported for streamable HTTP servers; ${params.name} runs over stdio`);
      const signIn = await hub.signIn(config, { scopes: params.scopes ?? config.scopes, timeoutSecs: params.timeoutSecs ?? null }).catch((error: unknown) => {
        throw invalidRequest(`failed to sign in to MCP server ${params.name}: ${messageOf(error)}`);
      });
      void signIn.completion.then(async (error) => {
        if (error === null) await hub.restartServer(config.name).catch(() => undefined);
        server.outgoing.broadcast(McpServerOauthLoginCompleted, { name: config.name, threadId: params.threadId ?? null, success: error === null, error, loginId: signIn.loginId });
      });
      return { authorizationUrl: signIn.authorizationUrl, loginId: signIn.loginId };
    },
  });
}

async function ready(manager: McpManager, name: string) {
  if (!manager.config(name)) throw invalidRequest(`there is no MCP server named ${name}`);
  await manager.whenStarted();
  const connection = manager.connection(name);
  if (!connection) throw invalidRequest(manager.unavailableReason(name));
  return connection;
}

function cursorIndex(cursor: string, length: number): number {
  const index = Number(cursor);
  if (!Number.isInteger(index) || index < 0 || index > length) throw invalidRequest(`invalid cursor: ${cursor}`);
  return index;
}
