// `npm run package`: production bundles, then `vsce package` into tandem-<version>.vsix, then its size.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..');
const { name, version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { name: string; version: string };
const out = path.join(root, `${name}-${version}.vsix`);
const bin = (tool: string) => path.join(root, 'node_modules', '.bin', tool);

fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
execFileSync(process.execPath, [path.join(root, 'esbuild.mjs'), '--production'], { cwd: root, stdio: 'inherit' });
// VS Code reads the manifest's %keys% from package.nls.json and vscode.l10n's bundles from l10n/: a .vsix
// without them shows keys instead of words, so packaging stops when .vscodeignore leaves them out.
const packed = execFileSync(bin('vsce'), ['ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' }).split('\n').map((line) => line.trim());
const missing = ['package.nls.json', 'l10n/bundle.l10n.json'].filter((file) => !packed.includes(file));
if (missing.length > 0) throw new Error(`the .vsix would lack ${missing.join(', ')}: .vscodeignore must keep them`);
// Dependencies are bundled by esbuild, so vsce must not pack node_modules. The README's screenshots live in
// docs/ (outside the .vsix) and there is no public repository URL to point them at, so links stay relative.
execFileSync(bin('vsce'), ['package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', out], { cwd: root, stdio: 'inherit' });
const bytes = fs.statSync(out).size;
console.log(`packaged ${path.basename(out)}: ${bytes} bytes (${(bytes / 1024).toFixed(1)} KiB)`);
