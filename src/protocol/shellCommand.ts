// A command item's `command` is the shell invocation as it runs (`/bin/bash -lc '<script>'`, quoted the
// POSIX way), as codex sends it: clients split it with a shell lexer and show the script. These helpers
// quote, split, and give back the script to show. Pure functions, no zod: the webview uses them too.

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One word quoted for a POSIX shell: as is when nothing in it is special, else in single quotes. */
export function quoteWord(word: string): string {
  if (word === '') return "''";
  if (SAFE.test(word)) return word;
  return `'${word.replace(/'/g, `'"'"'`)}'`;
}

export function joinCommand(argv: readonly string[]): string {
  return argv.map(quoteWord).join(' ');
}

/** Splits a command line the way a POSIX shell reads words and quotes; undefined when the quotes never close. */
export function splitCommand(line: string): string[] | undefined {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < line.length; i += 1) {
    const ch = line[i]!;
    if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      if (end === -1) return undefined;
      word += line.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (ch === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j += 1) {
        if (line[j] === '\\' && j + 1 < line.length && '$`"\\\n'.includes(line[j + 1]!)) j += 1;
        word += line[j];
      }
      if (j >= line.length) return undefined;
      i = j;
      inWord = true;
    } else if (ch === '\\' && i + 1 < line.length) {
      word += line[i + 1];
      i += 1;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** The script a `<shell> -c|-lc '<script>'` command runs, or the command itself when it is not one. */
export function shellScriptOf(command: string): string {
  const words = splitCommand(command);
  if (words?.length === 3 && (words[1] === '-lc' || words[1] === '-c') && /(^|\/)(ba|z|da|k|fi)?sh$/.test(words[0]!)) return words[2]!;
  return command;
}
