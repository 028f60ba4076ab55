// A thread's folder as the history shows it: short, and named from the workspace when it is in it.

/** Where the history is: the workspace's folders and the user's home, for short folder names. */
export interface HistoryScope {
  roots: readonly string[];
  home: string | null;
}

/**
 * A thread's folder, short: relative to the workspace folder it is in (named by that folder), else its own
 * name (`~` for the home folder itself), since the end of a path is what tells folders apart in a narrow
 * sidebar. The row's tooltip has the full path.
 */
export function folderLabel(cwd: string, scope: HistoryScope): string {
  for (const root of scope.roots) {
    const rest = below(cwd, root);
    if (rest !== undefined) return rest.path ? `${baseName(root)}${rest.separator}${rest.path}` : baseName(root);
  }
  if (scope.home && below(cwd, scope.home)?.path === '') return '~';
  // A root folder (`/`, `C:\`) has no name: it is shown as it is.
  return baseName(cwd) || cwd;
}

/** The part of `path` below `folder` ('' for the folder itself), with the separator that path uses. */
function below(path: string, folder: string): { path: string; separator: string } | undefined {
  const trimmed = folder.replace(/[\\/]+$/, '');
  // A root folder (`/`, `C:\`) names nothing short: the full path says more.
  if (!trimmed || /^[A-Za-z]:$/.test(trimmed)) return undefined;
  if (path === trimmed) return { path: '', separator: '/' };
  const separator = path.charAt(trimmed.length);
  if (!path.startsWith(trimmed) || (separator !== '/' && separator !== '\\')) return undefined;
  return { path: path.slice(trimmed.length + 1), separator };
}

function baseName(folder: string): string {
  const name = folder.replace(/[\\/]+$/, '').split(/[\\/]/).pop() ?? '';
  // A drive (`C:`) is not a folder name.
  return /^[A-Za-z]:$/.test(name) ? '' : name;
}
