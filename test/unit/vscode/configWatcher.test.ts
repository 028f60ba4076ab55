// The config watcher: an edit of config.toml, also one written by rename (as config/value/write writes),
// calls back once within a second; other files in the home do not.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { silentLogger } from '../../../src/core/log';
import { watchConfig } from '../../../src/vscode/configWatcher';

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('vscode/configWatcher', () => {
  let home: string;
  let watcher: { dispose(): void } | undefined;
  beforeEach(() => (home = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-watch-'))));
  afterEach(() => {
    watcher?.dispose();
    fs.rmSync(home, { recursive: true, force: true });
  });

  const watch = (options = { debounceMs: 50 }) => {
    const calls: number[] = [];
    watcher = watchConfig(home, () => calls.push(Date.now()), silentLogger, options);
    return calls;
  };

  it('calls back once for a burst of writes to config.toml', async () => {
    const calls = watch();
    const started = Date.now();
    fs.writeFileSync(path.join(home, 'config.toml'), 'model = "a"\n');
    fs.appendFileSync(path.join(home, 'config.toml'), 'model_provider = "ollama"\n');
    await settle(400);
    assert.equal(calls.length, 1);
    assert.ok(calls[0]! - started < 1_000);
  });

  it('sees a config written by rename, the way atomic writes replace it', async () => {
    fs.writeFileSync(path.join(home, 'config.toml'), 'model = "a"\n');
    const calls = watch();
    fs.writeFileSync(path.join(home, '.config.toml.tmp'), 'model = "b"\n');
    fs.renameSync(path.join(home, '.config.toml.tmp'), path.join(home, 'config.toml'));
    await settle(400);
    assert.ok(calls.length >= 1);
    // Still watching after the file was replaced.
    fs.writeFileSync(path.join(home, 'config.toml'), 'model = "c"\n');
    await settle(400);
    assert.ok(calls.length >= 2);
  });

  it('ignores other files in the home, and stops when disposed', async () => {
    const calls = watch();
    fs.writeFileSync(path.join(home, 'auth.json'), '{}');
    fs.mkdirSync(path.join(home, 'sessions'));
    await settle(300);
    assert.equal(calls.length, 0);
    watcher!.dispose();
    fs.writeFileSync(path.join(home, 'config.toml'), 'model = "a"\n');
    await settle(300);
    assert.equal(calls.length, 0);
  });

  it('makes the home when it does not exist yet', async () => {
    fs.rmSync(home, { recursive: true });
    const calls = watch();
    fs.writeFileSync(path.join(home, 'config.toml'), 'model = "a"\n');
    await settle(400);
    assert.equal(calls.length, 1);
  });
});
