import * as os from 'node:os';
import { version } from '../../package.json';

export const TANDEM_VERSION: string = version;

/** `platformFamily` / `platformOs` as the initialize result names them. */
export function platformInfo(): { platformFamily: string; platformOs: string } {
  const platformOs = process.platform === 'darwin' ? 'macos' : process.platform === 'win32' ? 'windows' : process.platform;
  return { platformFamily: process.platform === 'win32' ? 'windows' : 'unix', platformOs };
}

/** The User-Agent Tandem sends: `<originator>/<version> (<os> <release>; <arch>) (<client>; <clientVersion>)`. */
export function buildUserAgent(originator: string, clientVersion: string): string {
  return `${originator}/${TANDEM_VERSION} (${os.type()} ${os.release()}; ${os.arch()}) (${originator}; ${clientVersion})`;
}
