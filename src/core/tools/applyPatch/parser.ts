// Parses the apply_patch format into file operations. Parsing never touches the
// disk; every error names the line and what was expected, so the model can fix its patch.

export interface UpdateChunk {
  /** `@@ <context>` lines that locate the chunk, in order (each seeks forward). */
  contexts: string[];
  oldLines: string[];
  newLines: string[];
  /** `*** End of File`: the chunk is anchored to the end of the file. */
  endOfFile: boolean;
}

export type PatchOperation =
  | { kind: 'add'; path: string; contents: string }
  | { kind: 'delete'; path: string }
  | { kind: 'update'; path: string; movePath: string | undefined; chunks: UpdateChunk[] };

export class PatchParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PatchParseError';
  }
}

const BEGIN = '*** Begin Patch';
const END = '*** End Patch';
const ADD = '*** Add File: ';
const DELETE = '*** Delete File: ';
const UPDATE = '*** Update File: ';
const MOVE = '*** Move to: ';
const EOF_MARKER = '*** End of File';

export function parsePatch(text: string): PatchOperation[] {
  const lines = unwrapHeredoc(text.trim()).split('\n').map((line) => line.replace(/\r$/, ''));
  if (lines[0]?.trim() !== BEGIN) throw new PatchParseError(`The first line of the patch must be '${BEGIN}'`);
  if (lines[lines.length - 1]?.trim() !== END) throw new PatchParseError(`The last line of the patch must be '${END}'`);
  const body = lines.slice(1, -1);
  const operations: PatchOperation[] = [];
  let i = 0;
  while (i < body.length) {
    const line = body[i]!;
    const header = line.trim();
    if (header === '') {
      i += 1;
      continue;
    }
    if (header.startsWith(ADD)) {
      const path = header.slice(ADD.length).trim();
      const contents: string[] = [];
      i += 1;
      while (i < body.length && body[i]!.startsWith('+')) contents.push(body[i++]!.slice(1));
      if (contents.length === 0) throw new PatchParseError(`Add File ${path} has no '+' lines; an added file needs its whole contents`);
      operations.push({ kind: 'add', path: requirePath(path, line), contents: contents.map((c) => c + '\n').join('') });
      continue;
    }
    if (header.startsWith(DELETE)) {
      operations.push({ kind: 'delete', path: requirePath(header.slice(DELETE.length).trim(), line) });
      i += 1;
      continue;
    }
    if (header.startsWith(UPDATE)) {
      const path = requirePath(header.slice(UPDATE.length).trim(), line);
      i += 1;
      let movePath: string | undefined;
      if (body[i]?.trim().startsWith(MOVE)) {
        movePath = requirePath(body[i]!.trim().slice(MOVE.length).trim(), body[i]!);
        i += 1;
      }
      const parsed = parseChunks(body, i, path);
      i = parsed.next;
      if (parsed.chunks.length === 0 && !movePath) throw new PatchParseError(`Update File ${path} has no changes`);
      operations.push({ kind: 'update', path, movePath, chunks: parsed.chunks });
      continue;
    }
    throw new PatchParseError(`'${line}' is not a valid hunk header. Valid hunk headers: '${ADD}{path}', '${DELETE}{path}', '${UPDATE}{path}'`);
  }
  if (operations.length === 0) throw new PatchParseError('The patch changes no files');
  return operations;
}

function parseChunks(body: string[], start: number, path: string): { chunks: UpdateChunk[]; next: number } {
  const chunks: UpdateChunk[] = [];
  let chunk: UpdateChunk | undefined;
  let i = start;
  const fresh = (): UpdateChunk => ({ contexts: [], oldLines: [], newLines: [], endOfFile: false });
  while (i < body.length) {
    const line = body[i]!;
    if (line.startsWith('*** ') && line.trim() !== EOF_MARKER) break;
    if (line.trim() === EOF_MARKER) {
      if (!chunk) throw new PatchParseError(`'${EOF_MARKER}' in ${path} must follow a hunk`);
      chunk.endOfFile = true;
      i += 1;
      continue;
    }
    if (line.startsWith('@@')) {
      const context = line === '@@' ? undefined : line.startsWith('@@ ') ? line.slice(3) : undefined;
      if (line !== '@@' && context === undefined) throw new PatchParseError(`'${line}' in ${path} is not a hunk header; use '@@' or '@@ <context line>'`);
      // Stacked @@ lines narrow the same chunk until it has body lines.
      if (!chunk || chunk.oldLines.length > 0 || chunk.newLines.length > 0 || chunk.endOfFile) {
        chunk = fresh();
        chunks.push(chunk);
      }
      if (context !== undefined) chunk.contexts.push(context);
      i += 1;
      continue;
    }
    if (!chunk) {
      // The first hunk of a file may leave out its @@ line.
      chunk = fresh();
      chunks.push(chunk);
    }
    if (line === '') {
      chunk.oldLines.push('');
      chunk.newLines.push('');
    } else if (line[0] === ' ') {
      chunk.oldLines.push(line.slice(1));
      chunk.newLines.push(line.slice(1));
    } else if (line[0] === '-') {
      chunk.oldLines.push(line.slice(1));
    } else if (line[0] === '+') {
      chunk.newLines.push(line.slice(1));
    } else {
      throw new PatchParseError(`Unexpected line in ${path}: '${line}'. Every hunk line must start with ' ', '+' or '-'`);
    }
    i += 1;
  }
  // Blank lines right before the next file section separate sections; they belong to no hunk.
  const last = chunks[chunks.length - 1];
  while (last && i < body.length && last.oldLines.at(-1) === '' && last.newLines.at(-1) === '' && last.oldLines.length > 1) {
    last.oldLines.pop();
    last.newLines.pop();
  }
  const empty = chunks.find((c) => c.oldLines.length === 0 && c.newLines.length === 0);
  if (empty) throw new PatchParseError(`A hunk in ${path} has no lines`);
  return { chunks, next: i };
}

function requirePath(path: string, line: string): string {
  if (!path) throw new PatchParseError(`'${line}' names no file`);
  return path;
}

/** Models sometimes wrap the patch in a heredoc (`<<'EOF' … EOF`); accept that. */
function unwrapHeredoc(text: string): string {
  const lines = text.split('\n');
  const first = lines[0]?.trim() ?? '';
  const match = /^(?:apply_patch\s+)?<<\s*['"]?(\w+)['"]?$/.exec(first);
  if (match && lines.length >= 3 && lines[lines.length - 1]!.trim() === match[1]) return lines.slice(1, -1).join('\n').trim();
  return text;
}
