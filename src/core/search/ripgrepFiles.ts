// ripgrep's file list (`rg --files`), streamed: each chunk of its output is handed over as it arrives, in
// runs of files of one directory, which is how the matcher takes them (see `scoreDirectory`).
import { spawn } from 'node:child_process';
import type { FileBatchListener } from './fileWalker';

const RG_TIMEOUT_MS = 20_000;

/**
 * ripgrep's file list, cut off at `maxFiles`. `onBatch` sees every file of it as it is printed, in runs of
 * consecutive files of one directory; the batches are the final list, in its order. A .gitignore counts
 * outside a git repository too, as it does for the walker.
 */
export function listWithRipgrep(rg: string, root: string, maxFiles: number, onBatch?: FileBatchListener): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const files: string[] = [];
    let rest = '';
    const take = (lines: string[]) => {
      const room = maxFiles - files.length;
      let taken = 0;
      for (let i = 0; i < lines.length && taken < room; i++) if (lines[i]) lines[taken++] = lines[i]!;
      lines.length = taken;
      for (const file of lines) files.push(file);
      if (onBatch) batchByDirectory(lines, onBatch);
    };
    const child = spawn(rg, ['--files', '--hidden', '--glob', '!.git', '--no-require-git', '--no-messages'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), RG_TIMEOUT_MS);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (files.length >= maxFiles) return;
      const lines = (rest + chunk).split('\n');
      rest = lines.pop()!;
      take(lines);
      if (files.length >= maxFiles) child.kill();
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      // Cut off at maxFiles on purpose; killed otherwise only by the timeout.
      if (signal && files.length < maxFiles) return reject(new Error(`rg was stopped (${signal})`));
      // rg exits 1 when it finds no files; that is an empty list, not an error.
      if (code !== null && code > 1) return reject(new Error(`rg exited with ${code}`));
      if (files.length < maxFiles) take([rest]);
      resolve(files);
    });
  });
}

/**
 * Splits paths into runs of consecutive paths with the same directory (the part up to the last separator),
 * each handed over with its file names. ripgrep lists directories in parallel, so one directory's files may
 * come in several runs.
 */
export function batchByDirectory(paths: readonly string[], onBatch: FileBatchListener): void {
  let runPaths: string[] = [];
  let runNames: string[] = [];
  let runDir = '';
  for (const file of paths) {
    const nameStart = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1;
    if (runPaths.length > 0 && (nameStart !== runDir.length || !file.startsWith(runDir))) {
      onBatch(runPaths, runNames);
      runPaths = [];
      runNames = [];
    }
    if (runPaths.length === 0) runDir = file.slice(0, nameStart);
    runPaths.push(file);
    runNames.push(file.slice(nameStart));
  }
  if (runPaths.length > 0) onBatch(runPaths, runNames);
}
