#!/usr/bin/env node
// The `tandem` command: loads the CLI bundle (dist/cli-main.js) through the V8 code cache and runs it.
// TANDEM_CODE_CACHE=0 turns the cache off.
import * as path from 'node:path';
import { loadWithCodeCache, userCacheDir } from './codeCache';

type CliMain = { main(argv: string[], hooks: { ready?: () => void }): Promise<number> };

/**
 * The cache is saved once the server has answered its first `initialize`: it then holds the functions a
 * start needs and little else, since every byte of it is deserialized at each start. A command that never
 * serves saves it when it exits.
 */
function load(): { main: CliMain['main']; ready(): void } {
  const bundle = path.join(__dirname, 'cli-main.js');
  const loaded = loadWithCodeCache(bundle, process.env.TANDEM_CODE_CACHE === '0' ? null : userCacheDir());
  process.once('exit', loaded.writeCache);
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
