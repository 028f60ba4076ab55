import * as os from 'node:os';
import { version } from '../../package.json';

export const TANDEM_VERSION: string = version;

/** The codex app-server protocol version Tandem implements; clients gate features on it. */
export const CODEX_PROTOCOL_VERSION = '0.169.0';

/** `platformFamily` / `platformOs` as the initialize result names them. */
export function platformInfo(): { platformFamily: string; platformOs: string } {
  const platformOs = process.platform === 'darwin' ? 'macos' : process.platform === 'win32' ? 'windows' : process.platform;
  return { platformFamily: process.platform === 'win32' ? 'windows' : 'unix', platformOs };
}

/**
 * The User-Agent, in codex's shape: `<originator>/<protocol version> (<os> <release>; <arch>) tandem/<version>
 * (<client>; <clientVersion>)`. Clients read the version after the originator to decide what the server
 * supports, so it is the codex protocol version; Tandem's own name and version take the slot codex gives to
 * the terminal.
 */
export function buildUserAgent(originator: string, clientVersion: string): string {
  return `${originator}/${CODEX_PROTOCOL_VERSION} (${os.type()} ${os.release()}; ${architecture()}) tandem/${TANDEM_VERSION} (${originator}; ${clientVersion})`;
}

/** The architecture as codex names it (x86_64, aarch64, arm64 on macOS). */
function architecture(): string {
  if (process.arch === 'x64') return 'x86_64';
  if (process.arch === 'arm64') return process.platform === 'darwin' ? 'arm64' : 'aarch64';
  return process.arch;
}
