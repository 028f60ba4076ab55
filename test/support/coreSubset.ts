/** The core subset of the protocol for an IDE chat client (app-server-protocol.md §8). */
export const CORE_SUBSET = [
  'initialize',
  'thread/start', 'thread/resume', 'thread/fork', 'thread/list', 'thread/read', 'thread/archive', 'thread/unarchive',
  'thread/name/set', 'thread/unsubscribe', 'thread/compact/start',
  'turn/start', 'turn/steer', 'turn/interrupt', 'review/start',
  'model/list',
  'account/read', 'account/login/start', 'account/login/cancel', 'account/logout', 'account/rateLimits/read',
  'config/read', 'config/value/write', 'config/batchWrite',
  'skills/list', 'fuzzyFileSearch', 'mcpServerStatus/list', 'feedback/upload',
  'thread/started', 'thread/status/changed', 'thread/name/updated', 'thread/tokenUsage/updated',
  'turn/started', 'turn/completed', 'turn/diff/updated', 'turn/plan/updated',
  'item/started', 'item/completed', 'item/agentMessage/delta', 'item/reasoning/summaryTextDelta',
  'item/reasoning/summaryPartAdded', 'item/commandExecution/outputDelta',
  'serverRequest/resolved', 'error', 'warning', 'configWarning',
  'account/updated', 'account/login/completed', 'account/rateLimits/updated', 'mcpServer/startupStatus/updated',
  'item/commandExecution/requestApproval', 'item/fileChange/requestApproval', 'item/tool/requestUserInput', 'mcpServer/elicitation/request',
];
