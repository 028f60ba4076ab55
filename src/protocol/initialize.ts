// The handshake: one `initialize` request per connection, then the `initialized` notification.
import { z } from 'zod';
import { lazy } from './lazy';
import { notification, request } from './method';

export const ClientInfo = lazy(() => z.object({
  name: z.string(),
  title: z.string().nullish(),
  version: z.string(),
}));
export type ClientInfo = z.infer<typeof ClientInfo>;

export const InitializeCapabilities = lazy(() => z.object({
  experimentalApi: z.boolean().optional(),
  requestAttestation: z.boolean().optional(),
  mcpServerOpenaiFormElicitation: z.boolean().optional(),
  optOutNotificationMethods: z.array(z.string()).nullish(),
}));
export type InitializeCapabilities = z.infer<typeof InitializeCapabilities>;

export const InitializeParams = lazy(() => z.object({
  clientInfo: ClientInfo,
  capabilities: InitializeCapabilities.nullish(),
}));
export type InitializeParams = z.infer<typeof InitializeParams>;

export const InitializeResult = lazy(() => z.object({
  userAgent: z.string(),
  /** Tandem's home (`TANDEM_HOME`, `CODEX_HOME` for the command line, or `~/.tandem`), under Codex's field name. */
  codexHome: z.string(),
  platformFamily: z.string(),
  platformOs: z.string(),
}));
export type InitializeResult = z.infer<typeof InitializeResult>;

export const Initialize = request('initialize', () => InitializeParams, () => InitializeResult);
export const Initialized = notification('initialized', () => z.undefined().or(z.object({}).loose()));

/** HTTP header values: visible ASCII, space and tab (what the originator header accepts). */
export function isValidHeaderValue(value: string): boolean {
  return value.length > 0 && /^[\t\x20-\x7e]*$/.test(value) && value.trim() === value;
}
