import type * as vscode from 'vscode';
import type { LogFields, Logger } from '../core/log';

/** Routes the runtime's log calls into the "Tandem" LogOutputChannel (levels follow the user's setting). */
export function channelLogger(channel: vscode.LogOutputChannel): Logger {
  const line = (message: string, fields?: LogFields) =>
    fields && Object.keys(fields).length > 0 ? `${message} ${JSON.stringify(fields)}` : message;
  return {
    debug: (m, f) => channel.debug(line(m, f)),
    info: (m, f) => channel.info(line(m, f)),
    warn: (m, f) => channel.warn(line(m, f)),
    error: (m, f) => channel.error(line(m, f)),
  };
}
