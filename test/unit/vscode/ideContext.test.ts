// The host's side of the composer's context, against a fake vscode module and a local HTTP server: the
// active editor followed (debounced) and its selection read, the Problems panel's diagnostics, the
// terminal's last command read through shell integration, and web pages fetched only after the modal.
import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { RpcError, type IdeContext, type UserInput } from '../../../src/protocol';
import { silentLogger } from '../../../src/core/log';
import { withFakeVscode, type FakeVscode } from '../../support/fakeVscodeModules';
import { ManualClock } from './manualClock';

type Fake = FakeVscode;
type Service = typeof import('../../../src/vscode/ideContext');
type Terminal = typeof import('../../../src/vscode/terminalContext');

const settled = () => new Promise((resolve) => setImmediate(resolve));
/** The one text item a message's context becomes. */
function textOf(input: UserInput[]): string {
  assert.equal(input.length, 1);
  const [item] = input;
  assert.equal(item?.type, 'text');
  return item.type === 'text' ? item.text : '';
}

describe('vscode/ideContext (fake vscode module)', () => {
  let fake: Fake;
  let service: Service;
  let terminalContext: Terminal;
  let server: http.Server;
  let base: string;
  const hits: string[] = [];
  const open: Array<{ dispose(): void }> = [];

  const modules = withFakeVscode();
  before(async () => {
    fake = modules.fake();
    service = modules.load<Service>('src/vscode/ideContext');
    terminalContext = modules.load<Terminal>('src/vscode/terminalContext');
    server = http.createServer((request, response) => {
      hits.push(request.url ?? '');
      response.writeHead(200, { 'content-type': 'text/html' }).end('<title>Guide</title><p>Step one.</p>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    fake.warnings.length = 0;
    fake.diagnostics.clear();
    fake.workspace.workspaceFolders = [{ uri: fake.Uri.file('/w'), name: 'w', index: 0 }];
    fake.workspace.textDocuments = [];
    fake.window.activeTextEditor = undefined;
    fake.window.activeTerminal = undefined;
    hits.length = 0;
  });
  afterEach(() => {
    for (const disposable of open.splice(0)) disposable.dispose();
  });

  function start(clock = new ManualClock()) {
    const ide = new service.IdeContextService(silentLogger, { clock });
    open.push(ide);
    const changes: IdeContext[] = [];
    ide.onDidChange((context) => changes.push(context));
    return { ide, clock, changes };
  }

  /** A text document with lines of text, as the editor holds it. */
  function document(file: string, lines: string[]) {
    return {
      uri: fake.Uri.file(file),
      validateRange: (range: InstanceType<Fake['Range']>) => range,
      getText: (range: InstanceType<Fake['Range']>) => {
        const picked = lines.slice(range.start.line, range.end.line + 1);
        picked[picked.length - 1] = picked.at(-1)!.slice(0, range.end.character);
        picked[0] = picked[0]!.slice(range.start.character);
        return picked.join('\n');
      },
    };
  }
  const position = (line: number, character: number) => ({ line, character });
  function editor(doc: ReturnType<typeof document>, from: [number, number], to: [number, number]) {
    return { document: doc, selection: { start: position(...from), end: position(...to), isEmpty: from[0] === to[0] && from[1] === to[1] } };
  }

  describe('the active editor', () => {
    it('offers the file and selection, tells the chat once the user stops moving, and sends the selected text', async () => {
      const doc = document('/w/src/notes.ts', ['const a = 1;', 'const b = 2;', 'const c = 3;']);
      fake.workspace.textDocuments = [doc];
      fake.window.activeTextEditor = editor(doc, [0, 0], [0, 0]);
      const { ide, clock, changes } = start();
      assert.deepEqual(ide.current().editor, { path: '/w/src/notes.ts', relativePath: 'src/notes.ts', selection: null });

      // Dragging a selection: many events, one update after the quiet time.
      for (let line = 0; line < 3; line++) {
        fake.window.activeTextEditor = editor(doc, [0, 6], [line + 1, 5]);
        fake.editorEvents.textEditorSelection.fire({ textEditor: fake.window.activeTextEditor });
        clock.advance(100);
      }
      assert.equal(changes.length, 0, 'not while the selection moves');
      fake.window.activeTextEditor = editor(doc, [0, 6], [1, 5]);
      fake.editorEvents.textEditorSelection.fire({ textEditor: fake.window.activeTextEditor });
      clock.advance(300);
      assert.equal(changes.length, 1);
      const selection = { startLine: 0, startCharacter: 6, endLine: 1, endCharacter: 5 };
      assert.deepEqual(changes[0]!.editor, { path: '/w/src/notes.ts', relativePath: 'src/notes.ts', selection });

      const input = await ide.resolve([{ type: 'editor', path: '/w/src/notes.ts', selection }]);
      assert.equal(textOf(input), '# Context from my IDE setup:\n\n## Active file: src/notes.ts\n\n## Active selection of the file (lines 1-2):\n```\na = 1;\nconst\n```\n\n## My request for Codex:\n');

      // Another editor's selection is not the active one's; an untitled buffer offers nothing.
      fake.editorEvents.textEditorSelection.fire({ textEditor: {} });
      clock.advance(1_000);
      assert.equal(changes.length, 1);
      fake.window.activeTextEditor = { document: { uri: { scheme: 'untitled', fsPath: 'Untitled-1' } }, selection: { start: position(0, 0), end: position(0, 0), isEmpty: true } };
      fake.editorEvents.activeTextEditor.fire(fake.window.activeTextEditor);
      clock.advance(300);
      assert.equal(changes.length, 2);
      assert.equal(changes[1]!.editor, null);
    });

    it('reads a file closed since its chip was offered from disk, says so when it is gone, and reads nothing else', async () => {
      const doc = document('/w/src/notes.ts', ['alpha', 'beta']);
      fake.workspace.textDocuments = [doc];
      fake.window.activeTextEditor = editor(doc, [0, 0], [0, 0]);
      const { ide, clock } = start();
      // The editor closes (a review's diff editor, say) just as the message goes, before the chip catches up.
      fake.workspace.textDocuments = [];
      fake.window.activeTextEditor = undefined;
      fake.workspace.closedDocuments.set('/w/src/notes.ts', doc);
      const selection = { startLine: 1, startCharacter: 0, endLine: 1, endCharacter: 4 };
      assert.match(textOf(await ide.resolve([{ type: 'editor', path: '/w/src/notes.ts', selection }])), /## Active selection of the file \(line 2\):\n```\nbeta\n```\n/);
      fake.workspace.closedDocuments.clear();
      await assert.rejects(ide.resolve([{ type: 'editor', path: '/w/src/notes.ts', selection: null }]), (error: unknown) => {
        assert.ok(error instanceof RpcError);
        assert.equal(error.message, 'Not sent: /w/src/notes.ts cannot be read (cannot open file:///w/src/notes.ts: file not found). Remove its chip to send without it.');
        return true;
      });
      // A path the editor never offered is not read, open or not.
      fake.workspace.closedDocuments.set('/home/me/.ssh/id_rsa', document('/home/me/.ssh/id_rsa', ['secret']));
      clock.advance(1_000);
      await assert.rejects(ide.resolve([{ type: 'editor', path: '/home/me/.ssh/id_rsa', selection: null }]), /was not offered as context/);
      fake.workspace.closedDocuments.clear();
    });
  });

  it('lists the Problems panel’s diagnostics, of the workspace or of one file', async () => {
    fake.diagnostics.set('/w/src/a.ts', [
      { range: new fake.Range(4, 2, 4, 8), severity: 1, message: 'Unused variable', source: 'eslint', code: { value: 'no-unused-vars', target: fake.Uri.file('/rules') } },
      { range: new fake.Range(0, 0, 0, 1), severity: 0, message: 'Cannot find name', source: 'ts', code: 2304 },
    ]);
    fake.diagnostics.set('/elsewhere/b.py', [{ range: new fake.Range(9, 0, 9, 1), severity: 2, message: 'Consider a docstring' }]);
    const { ide } = start();
    const workspace = textOf(await ide.resolve([{ type: 'problems', path: null }]));
    assert.equal(
      workspace,
      '# Context from my IDE setup:\n\n## Problems in the workspace:\n```\nsrc/a.ts:1:1 error Cannot find name (ts 2304)\nsrc/a.ts:5:3 warning Unused variable (eslint no-unused-vars)\n/elsewhere/b.py:10:1 info Consider a docstring\n```\n\n## My request for Codex:\n',
    );
    const one = textOf(await ide.resolve([{ type: 'problems', path: '/elsewhere/b.py' }]));
    assert.ok(one.includes('## Problems in /elsewhere/b.py:\n```\n/elsewhere/b.py:10:1 info Consider a docstring\n```\n'), one);
    const none = textOf(await ide.resolve([{ type: 'problems', path: '/w/clean.ts' }]));
    assert.ok(none.includes('## Problems in clean.ts:\n```\nNo problems reported.\n```'), none);
  });

  describe('@terminal', () => {
    /** A shell-integration execution whose output arrives in `chunks`. */
    function execution(commandLine: string, chunks: string[]) {
      return {
        commandLine: { value: commandLine },
        read: async function* () {
          for (const chunk of chunks) {
            await settled();
            yield chunk;
          }
        },
      };
    }

    it('says why there is nothing to attach: no terminal, no shell integration, no command yet', async () => {
      const { ide } = start();
      assert.deepEqual(ide.current().terminal, { available: false, reason: 'No terminal is open' });
      await assert.rejects(ide.resolve([{ type: 'terminal' }]), { message: 'Not sent: No terminal is open. Remove @terminal to send without it.' });
      fake.window.activeTerminal = { name: 'bash', shellIntegration: undefined };
      assert.deepEqual(ide.current().terminal, { available: false, reason: 'The terminal “bash” has no shell integration, so its commands cannot be read' });
      fake.window.activeTerminal = { name: 'bash', shellIntegration: {} };
      assert.deepEqual(ide.current().terminal, { available: false, reason: 'No command has finished in the terminal “bash” yet' });
    });

    it('attaches the last finished command and its output, without escape sequences', async () => {
      const terminal = { name: 'bash', shellIntegration: {} };
      fake.window.activeTerminal = terminal;
      const { ide, changes } = start();
      const first = execution('npm test', ['\x1b]633;C\x07\x1b[32m✔ one\x1b[0m\r\n', 'progress 10%\rprogress 100%\r\n', '\x1b[31m1 failing\x1b[0m\r\n']);
      fake.editorEvents.shellExecutionStart.fire({ terminal, execution: first });
      await settled();
      fake.editorEvents.shellExecutionEnd.fire({ terminal, execution: first, exitCode: 1 });
      // The end waits for the rest of the output to be read.
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.ok(changes.length >= 1);
      assert.deepEqual(ide.current().terminal, { available: true, terminal: 'bash', command: 'npm test', exitCode: 1 });
      const text = textOf(await ide.resolve([{ type: 'terminal' }]));
      assert.equal(text, '# Context from my IDE setup:\n\n## Last command in the terminal “bash” (exit code 1):\n```\n$ npm test\n✔ one\nprogress 100%\n1 failing\n```\n\n## My request for Codex:\n');

      // Another terminal's command is not the active one's; closing the terminal forgets it.
      const other = { name: 'zsh', shellIntegration: {} };
      const second = execution('ls', ['a\r\n']);
      fake.editorEvents.shellExecutionStart.fire({ terminal: other, execution: second });
      fake.editorEvents.shellExecutionEnd.fire({ terminal: other, execution: second, exitCode: 0 });
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal((ide.current().terminal as { command: string }).command, 'npm test');
      fake.editorEvents.closeTerminal.fire(terminal);
      assert.deepEqual(ide.current().terminal, { available: false, reason: 'No command has finished in the terminal “bash” yet' });
    });

    it('shows output as a reader saw it: no colours, a line redrawn with \\r in its last state', () => {
      const line = 'x'.repeat(99);
      const cleaned = terminalContext.cleanTerminalOutput(`\x1b[1m${line}\x1b[0m\r\n`.repeat(2) + 'step 1\rstep 2\r\n\x1b]0;title\x07done\x1b[K');
      assert.equal(cleaned, `${line}\n${line}\nstep 2\ndone`);
    });

    it('bounds what it keeps of a command that prints a lot', async () => {
      const terminal = { name: 'bash', shellIntegration: {} };
      fake.window.activeTerminal = terminal;
      const { ide } = start();
      const chunks = Array.from({ length: 100 }, (_, i) => `${String(i).padStart(4, '0')}${'.'.repeat(995)}\n`);
      const run = execution('build', chunks);
      fake.editorEvents.shellExecutionStart.fire({ terminal, execution: run });
      fake.editorEvents.shellExecutionEnd.fire({ terminal, execution: run, exitCode: 0 });
      await new Promise((resolve) => setTimeout(resolve, 50));
      const text = textOf(await ide.resolve([{ type: 'terminal' }]));
      assert.ok(text.includes('```\n$ build\n[… earlier output not included]\n'), text.slice(0, 300));
      assert.ok(text.includes(`0099${'.'.repeat(995)}\n\`\`\`\n\n## My request`), 'the end is kept');
      assert.ok(!text.includes(`0000${'.'}`), 'the start is not');
      assert.ok(text.length < 21_000, `bounded: ${text.length}`);
    });
  });

  describe('@url', () => {
    it('asks with a modal naming the page; dismissed or declined, nothing is fetched', async () => {
      const { ide } = start();
      const url = `${base}/guide`;
      for (const answer of [undefined, 'Cancel']) {
        const sending = ide.resolve([{ type: 'url', url }]);
        await settled();
        assert.equal(fake.warnings.length, 1);
        const shown = fake.warnings.pop()!;
        assert.equal(shown.modal, true);
        assert.equal(shown.message, `Fetch ${url} and send its text to the model?`);
        assert.deepEqual(shown.items, ['Fetch']);
        shown.answer(answer);
        await assert.rejects(sending, { message: `Not sent: you declined fetching ${url}. Remove the page to send without it.` });
      }
      assert.deepEqual(hits, [], 'the server never heard of it');
    });

    it('fetches the page once the user says Fetch, and asks once for several pages', async () => {
      const { ide } = start();
      const sending = ide.resolve([{ type: 'url', url: `${base}/guide` }]);
      await settled();
      fake.warnings.pop()!.answer('Fetch');
      assert.equal(textOf(await sending), `# Context from my IDE setup:\n\n## Web page ${base}/guide (Guide):\n\`\`\`\nStep one.\n\`\`\`\n\n## My request for Codex:\n`);
      assert.deepEqual(hits, ['/guide']);

      const both = ide.resolve([{ type: 'url', url: `${base}/a` }, { type: 'url', url: `${base}/b` }]);
      await settled();
      assert.equal(fake.warnings.length, 1);
      assert.equal(fake.warnings[0]!.message, 'Fetch 2 web pages and send their text to the model?');
      assert.ok(fake.warnings[0]!.detail!.startsWith(`${base}/a\n${base}/b\n\n`));
      fake.warnings.pop()!.answer('Fetch');
      await both;
      assert.deepEqual(hits.slice(1).sort(), ['/a', '/b']);
    });
  });
});
