// Fails when the extension's words cannot be translated: text written straight into a notification, a
// dialog, a quick pick, an input box or a progress title in src/vscode instead of through l10n.t; an l10n.t
// whose message is not a plain string (the export reads messages from the source, so it would be left out);
// a `{n}` with no argument to fill it; or l10n/bundle.l10n.json out of date with the source (`npm run l10n`
// writes it). Run as `node --import tsx scripts/checkLocalization.ts [root]`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

export interface Finding {
  file: string;
  line: number;
  problem: string;
}

/** Words that stay as they are in every language: the product's name. */
const NOT_TRANSLATED = new Set(['Tandem']);
/** The window functions whose string arguments (messages and buttons) the user reads. */
const MESSAGE_CALLS = new Set(['showInformationMessage', 'showWarningMessage', 'showErrorMessage']);
/** Calls whose options object (or, for a message, an item object) the user reads, and the fields that hold text. */
const OPTION_CALLS = new Set(['showQuickPick', 'showInputBox', 'withProgress', ...MESSAGE_CALLS]);
const TEXT_OPTIONS = new Set(['title', 'placeHolder', 'prompt', 'detail']);
/** Fields of a quick pick's items (or a message's items) that the user reads. */
const ITEM_FIELDS = new Set(['label', 'description', 'detail', 'title']);

/** Text a person reads, written in place: a literal with a word in it, outside codicons like `$(add)`. */
function literalWords(node: ts.Expression): string | undefined {
  const words = (text: string) => (/\p{L}/u.test(text.replace(/\$\([a-z0-9~-]+\)/gi, '')) && !NOT_TRANSLATED.has(text.trim()) ? text : undefined);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return words(node.text);
  if (ts.isTemplateExpression(node)) return words([node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join(' '));
  return undefined;
}

/** The expressions a value may come from: both sides of a conditional, `??`, `||` and `+`. */
function outcomes(node: ts.Expression): ts.Expression[] {
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node)) return outcomes(node.expression);
  if (ts.isConditionalExpression(node)) return [...outcomes(node.whenTrue), ...outcomes(node.whenFalse)];
  if (ts.isBinaryExpression(node) && [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.PlusToken].includes(node.operatorToken.kind)) {
    return [...outcomes(node.left), ...outcomes(node.right)];
  }
  return [node];
}

function calleeName(call: ts.CallExpression): string | undefined {
  const callee = call.expression;
  return ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
}

/** `l10n.t(…)` or `vscode.l10n.t(…)`. */
function isTranslation(call: ts.CallExpression): boolean {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 't') return false;
  const owner = callee.expression;
  return (ts.isIdentifier(owner) && owner.text === 'l10n') || (ts.isPropertyAccessExpression(owner) && owner.name.text === 'l10n');
}

function parse(file: string, source: string): ts.SourceFile {
  return ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

function walk(node: ts.Node, visit: (node: ts.Node) => void): void {
  visit(node);
  node.forEachChild((child) => walk(child, visit));
}

/** Text shown to the user from src/vscode that does not go through l10n.t. */
export function untranslatedText(file: string, source: string): Finding[] {
  const sourceFile = parse(file, source);
  const findings: Finding[] = [];
  const report = (node: ts.Node, what: string) => {
    for (const outcome of outcomes(node as ts.Expression)) {
      const words = literalWords(outcome);
      if (words !== undefined) findings.push({ file, line: sourceFile.getLineAndCharacterOfPosition(outcome.getStart()).line + 1, problem: `${what} is not translated: ${JSON.stringify(words.slice(0, 60))}` });
    }
  };
  const reportFields = (object: ts.ObjectLiteralExpression, fields: Set<string>, what: string) => {
    for (const property of object.properties) {
      if (ts.isPropertyAssignment(property) && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) && fields.has(property.name.text)) report(property.initializer, `${what} ${property.name.text}`);
    }
  };
  walk(sourceFile, (node) => {
    if (!ts.isCallExpression(node)) return;
    const name = calleeName(node);
    if (!name || !OPTION_CALLS.has(name)) return;
    node.arguments.forEach((argument, index) => {
      if (ts.isObjectLiteralExpression(argument)) reportFields(argument, TEXT_OPTIONS, `${name}'s`);
      else if (ts.isArrayLiteralExpression(argument)) {
        for (const element of argument.elements) {
          if (ts.isObjectLiteralExpression(element)) reportFields(element, ITEM_FIELDS, `${name}'s item`);
          else report(element, `${name}'s item`);
        }
      } else if (MESSAGE_CALLS.has(name)) report(argument, index === 0 ? `${name}'s message` : `${name}'s button`);
    });
  });
  return findings;
}

export interface Messages {
  /** The bundle's keys: the message, or `message/comment` when the call gives a comment. */
  keys: Set<string>;
  findings: Finding[];
}

/** The messages of every l10n.t call, and the calls the export could not read or whose `{n}` has no argument. */
export function translatedMessages(file: string, source: string): Messages {
  const sourceFile = parse(file, source);
  const keys = new Set<string>();
  const findings: Finding[] = [];
  walk(sourceFile, (node) => {
    if (ts.isTaggedTemplateExpression(node) && ts.isPropertyAccessExpression(node.tag) && node.tag.name.text === 't' && node.tag.expression.getText().endsWith('l10n')) {
      findings.push({ file, line: line(sourceFile, node), problem: 'l10n.t as a tagged template: give the message as a string and its values as arguments' });
    }
    if (!ts.isCallExpression(node) || !isTranslation(node)) return;
    const read = messageOf(node);
    if (typeof read === 'string') {
      findings.push({ file, line: line(sourceFile, node), problem: read });
      return;
    }
    keys.add(read.key);
    for (const match of read.message.matchAll(/{(\d+)}/g)) {
      if (Number(match[1]) >= read.positional) findings.push({ file, line: line(sourceFile, node), problem: `${JSON.stringify(read.message.slice(0, 60))} has {${match[1]}} but only ${read.positional} argument(s)` });
    }
  });
  return { keys, findings };
}

function line(sourceFile: ts.SourceFile, node: ts.Node): number {
  return sourceFile.getLineAndCharacterOfPosition(node.getStart()).line + 1;
}

/** The call's key and message and how many positional arguments fill it, or why it cannot be read. */
function messageOf(call: ts.CallExpression): { key: string; message: string; positional: number } | string {
  const [first, ...rest] = call.arguments;
  if (first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) {
    const named = rest.length === 1 && ts.isObjectLiteralExpression(rest[0]!);
    return { key: first.text, message: first.text, positional: named ? 0 : rest.length };
  }
  if (first && ts.isObjectLiteralExpression(first)) {
    const field = (name: string) => first.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === name)?.initializer;
    const message = field('message');
    const comment = field('comment');
    const args = field('args');
    const comments = comment && ts.isArrayLiteralExpression(comment) ? comment.elements : comment ? [comment] : [];
    if (!message || !ts.isStringLiteral(message) || !comments.every((c) => ts.isStringLiteral(c))) return 'l10n.t needs its message and comment as plain strings';
    const joined = comments.map((c) => (c as ts.StringLiteral).text).join('');
    return { key: joined ? `${message.text}/${joined}` : message.text, message: message.text, positional: args && ts.isArrayLiteralExpression(args) ? args.elements.length : 0 };
  }
  return 'l10n.t needs its message as a plain string, not a template or a variable: the export reads it from the source';
}

function* typeScriptFiles(dir: string): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* typeScriptFiles(full);
    else if (entry.name.endsWith('.ts')) yield full;
  }
}

/** Where translated words live: the extension host and the chat. */
export const TRANSLATED_FOLDERS = ['src/vscode', 'webview'];

/** Every problem in the tree at `root`, the bundle's freshness included. */
export function checkLocalization(root: string): Finding[] {
  const findings: Finding[] = [];
  const keys = new Set<string>();
  for (const folder of TRANSLATED_FOLDERS) {
    for (const file of typeScriptFiles(path.join(root, folder))) {
      const source = fs.readFileSync(file, 'utf8');
      const rel = path.relative(root, file);
      if (folder === 'src/vscode') findings.push(...untranslatedText(rel, source));
      const messages = translatedMessages(rel, source);
      findings.push(...messages.findings);
      for (const key of messages.keys) keys.add(key);
    }
  }
  const bundleFile = path.join(root, 'l10n', 'bundle.l10n.json');
  const bundle = JSON.parse(fs.readFileSync(bundleFile, 'utf8')) as Record<string, unknown>;
  for (const key of keys) if (!(key in bundle)) findings.push({ file: 'l10n/bundle.l10n.json', line: 0, problem: `missing ${JSON.stringify(key)}: run npm run l10n` });
  for (const key of Object.keys(bundle)) if (!keys.has(key)) findings.push({ file: 'l10n/bundle.l10n.json', line: 0, problem: `no longer used: ${JSON.stringify(key)}: run npm run l10n` });
  return findings;
}

if (require.main === module) {
  const findings = checkLocalization(path.resolve(process.argv[2] ?? '.'));
  for (const f of findings) console.error(`${f.file}:${f.line}: ${f.problem}`);
  if (findings.length > 0) {
    console.error(`localization check failed: ${findings.length} problem(s)`);
    process.exit(1);
  }
  console.log('localization check passed');
}
