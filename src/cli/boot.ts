#!/usr/bin/env node
// The `tandem` command: loads the CLI bundle (dist/cli-main.js) through the V8 code cache and runs it.
// TANDEM_CODE_CACHE=0 turns the cache off.
import * as path from 'node:path';
import { loadWithCodeCache, userCacheDir } from './codeCache';

type CliMain = { main(argv: string[]): Promise<number> };

/** After this long the functions that served startup are compiled, so the cache holds them too. */
const WRITE_CACHE_AFTER_MS = 2_000;

function load(): CliMain {
  const bundle = path.join(__dirname, 'cli-main.js');
  const loaded = loadWithCodeCache(bundle, process.env.TANDEM_CODE_CACHE === '0' ? null : userCacheDir());
  setTimeout(loaded.writeCache, WRITE_CACHE_AFTER_MS).unref();
  process.once('exit', loaded.writeCache);
  return loaded.exports as CliMain;
}

load()
  .main(process.argv.slice(2))
  .then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`tandem: ${String(error)}\n`);
      process.exit(1);
    },
  );
