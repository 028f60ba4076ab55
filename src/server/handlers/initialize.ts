import { invalidRequest, isValidHeaderValue, type InitializeParams, type InitializeResult } from '../../protocol';
import { buildUserAgent, platformInfo } from '../../core/version';
import type { Connection } from '../connection';

/** Validates the client's identity and records the connection's capabilities. */
export function initializeConnection(connection: Connection, params: InitializeParams, home: string): InitializeResult {
  const { name, version } = params.clientInfo;
  if (!isValidHeaderValue(name)) {
    throw invalidRequest(`Invalid clientInfo.name: ${JSON.stringify(name)}. Must be a valid HTTP header value.`);
  }
  connection.markInitialized(params.clientInfo, params.capabilities);
  return { userAgent: buildUserAgent(name, version), codexHome: home, ...platformInfo() };
}
