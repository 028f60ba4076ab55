#!/usr/bin/env node
// The `tandem` command: loads the CLI bundle (dist/cli-main.js) through the V8 code cache and runs it.
// TANDEM_CODE_CACHE=0 turns the cache off.
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { loadWithCodeCache, userCacheDir } from './codeCache';

// The server lives long and mostly waits: a young generation that keeps V8's starting size instead of
// growing to 16 MB under a busy turn leaves ~10 MB less resident, for scavenges that stay short. Only
// this process's own V8 (the editor's extension host is never tuned this way).
v8.setFlagsFromString('--semi-space-growth-factor=1');

type CliMain = { main(argv: string[], hooks: { ready?: () => void }): Promise<number> };

/**
 * The cache is saved once the server has answered its first `initialize`: it then holds the functions a
 * start needs and little else, since every byte of it is deserialized at each start. A command that never
 * serves (`--version`) saves none.
 */
function load(): { main: CliMain['main']; ready(): void } {
  const bundle = path.join(__dirname, 'cli-main.js');
  const loaded = loadWithCodeCache(bundle, process.env.TANDEM_CODE_CACHE === '0' ? null : userCacheDir());
  return { main: (loaded.exports as CliMain).main, ready: () => setImmediate(loaded.writeCache) };
}

const cli = load();
cli
  .main(process.argv.slice(2), { ready: cli.ready })
  .then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`tandem: ${String(error)}\n`);
      process.exit(1);
    },
  );
