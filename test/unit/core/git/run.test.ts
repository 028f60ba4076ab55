import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runGit } from '../../../../src/core/git/run';

describe('core/git/run', () => {
  it('never runs an fsmonitor hook a repository config names', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-git-'));
    try {
      execFileSync('git', ['init', '-q', dir]);
      const marker = path.join(dir, 'hook-ran');
      const hook = path.join(dir, 'hook.sh');
      fs.writeFileSync(hook, `#!/bin/sh\ntouch ${marker}\n`, { mode: 0o755 });
      execFileSync('git', ['-C', dir, 'config', 'core.fsmonitor', hook]);
      // Without the guard git runs the hook on status: prove the setup would fire.
      execFileSync('git', ['-C', dir, 'status', '--porcelain'], { stdio: 'pipe' });
      assert.ok(fs.existsSync(marker), 'the planted hook runs under plain git');
      fs.rmSync(marker);
      const result = await runGit(dir, ['status', '--porcelain']);
      assert.ok(result.ok, result.stderr);
      assert.ok(!fs.existsSync(marker), 'Tandem’s git did not run it');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
