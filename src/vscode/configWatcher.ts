// Watches Tandem's home for edits to config.toml (by hand, by another client, by config/value/write) so
// the chat, its header and the status bar follow without a window reload. The folder is watched, not the
// file: writes replace the file (atomic rename), which ends a watch on the file itself.
import * as fs from 'node:fs';
import type { Logger } from '../core/log';

const WATCHED = new Set(['config.toml', 'managed_config.toml']);

export interface ConfigWatcherOptions {
  /** Bursts of events (an editor's save, a rename) end in one call this long after the last. */
  debounceMs?: number;
}

export function watchConfig(home: string, onChange: () => void, logger: Logger, options: ConfigWatcherOptions = {}): { dispose(): void } {
  const debounceMs = options.debounceMs ?? 150;
  let timer: NodeJS.Timeout | undefined;
  let watcher: fs.FSWatcher | undefined;
  try {
    fs.mkdirSync(home, { recursive: true });
    watcher = fs.watch(home, { persistent: false }, (_event, filename) => {
      // Some platforms give no name: then any change in the folder counts.
      if (filename && !WATCHED.has(filename.toString())) return;
      clearTimeout(timer);
      timer = setTimeout(onChange, debounceMs);
    });
    watcher.on('error', (error) => logger.warn('stopped watching config.toml', { home, error: String(error) }));
  } catch (error) {
    logger.warn('cannot watch config.toml: edits apply after a reload', { home, error: String(error) });
  }
  return {
    dispose() {
      clearTimeout(timer);
      watcher?.close();
    },
  };
}
