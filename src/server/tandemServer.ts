// Builds the app-server with every method Tandem implements. The extension and the CLI both start here.
import type { Logger } from '../core/log';
import { AppServer } from './appServer';

export interface TandemServerOptions {
  logger: Logger;
  home: string;
  /** `-c key=value` overrides, applied over the config files. */
  configOverrides?: readonly string[];
  maxInFlightRequests?: number;
  validateResults?: boolean;
}

export function createTandemServer(options: TandemServerOptions): AppServer {
  const server = new AppServer({
    logger: options.logger,
    home: options.home,
    maxInFlightRequests: options.maxInFlightRequests,
    validateResults: options.validateResults,
  });
  return server;
}
