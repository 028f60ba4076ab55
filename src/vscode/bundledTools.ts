// Binaries VS Code ships that Tandem borrows: ripgrep for file search. They sit under vscode.env.appRoot,
// unpacked from the asar archive in packaged builds; when none is found the server falls back to `rg` on
// PATH, then to its own walker.
import * as fs from 'node:fs';
import * as path from 'node:path';

export function bundledRipgrep(appRoot: string): string | undefined {
  const binary = process.platform === 'win32' ? 'rg.exe' : 'rg';
  for (const modules of ['node_modules.asar.unpacked', 'node_modules']) {
    const candidate = path.join(appRoot, modules, '@vscode', 'ripgrep', 'bin', binary);
    if (fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}
