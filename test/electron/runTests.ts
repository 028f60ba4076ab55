// `npm run test:electron`: the mocha suite in test/electron/suite, run inside a real VS Code extension host
// by @vscode/test-electron. It DOWNLOADS VS Code (from update.code.visualstudio.com) on first use, so it
// only works on a machine with internet access. Machines without it (this project's CI and development
// machines) cannot run it; there, `npm test` covers the extension in real VS Code through code-server
// (test/e2e). This script is not part of `npm test`.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

const root = path.resolve(__dirname, '..', '..');

async function main(): Promise<number> {
  console.log('test:electron downloads VS Code and runs the extension-host suite; it needs internet access.');
  // The suite runs in VS Code's own Node: bundle it to plain CommonJS (mocha and vscode stay external).
  const suite = path.join(root, 'out', 'electron-suite', 'index.js');
  execFileSync(
    path.join(root, 'node_modules', '.bin', 'esbuild'),
    ['test/electron/suite/index.ts', '--bundle', '--platform=node', '--format=cjs', '--external:vscode', '--external:mocha', `--outfile=${suite}`],
    { cwd: root, stdio: 'inherit' },
  );
  execFileSync(process.execPath, [path.join(root, 'esbuild.mjs')], { cwd: root, stdio: 'inherit' });
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-electron-ws-'));
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-electron-home-'));
  try {
    return await runTests({
      extensionDevelopmentPath: root,
      extensionTestsPath: suite,
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
      extensionTestsEnv: { TANDEM_HOME: home },
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|getaddrinfo|download/i.test(message)) {
      console.error(`test:electron could not download VS Code (${message.split('\n')[0]}).`);
      console.error('This machine has no internet access, so it cannot run this suite. `npm test` runs the end-to-end suite in code-server instead.');
      return 2;
    }
    throw error;
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
