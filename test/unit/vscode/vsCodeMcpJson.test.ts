// Servers from VS Code's own MCP config (mcp.json, the `mcp` setting) read into Tandem's server configs:
// both transports, VS Code's variables, inputs still to ask, env files, and clear reasons for what cannot run.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { parseMcpJson, parseEnvFile, readMcpValue, serverOutcome, tandemServerName, type VariableContext } from '../../../src/vscode/vsCodeMcpJson';

const FOLDER = path.join(path.sep, 'work', 'project');

function context(extra: Partial<VariableContext> = {}): VariableContext {
  return { workspaceFolder: FOLDER, userHome: path.join(path.sep, 'home', 'me'), env: { TOKEN_SOURCE: 'from-env' }, inputs: new Map(), readFile: () => '', ...extra };
}

describe('vscode/vsCodeMcpJson', () => {
  it('reads a stdio and an http server from mcp.json with comments and trailing commas', () => {
    const text = `{
      // VS Code allows comments
      "inputs": [{ "type": "promptString", "id": "api-key", "description": "API key", "password": true }],
      "servers": {
        "notes": { "type": "stdio", "command": "node", "args": ["\${workspaceFolder}/server.js", "--home", "\${userHome}"], "env": { "KEY": "\${input:api-key}", "FROM": "\${env:TOKEN_SOURCE}" } },
        "remote": { "type": "http", "url": "https://example.test/mcp", "headers": { "Authorization": "Bearer \${input:api-key}" } },
      },
    }`;
    const document = parseMcpJson(text, '/work/project/.vscode/mcp.json');
    assert.deepEqual(document.problems, []);
    assert.deepEqual(document.inputs, [{ id: 'api-key', type: 'promptString', description: 'API key', password: true, default: null, options: [] }]);
    assert.deepEqual(document.servers.map((s) => s.name), ['notes', 'remote']);

    const waiting = serverOutcome('notes', document.servers[0]!.raw, context());
    assert.deepEqual(waiting, { kind: 'needsInput', name: 'notes', inputs: ['api-key'] });

    const inputs = new Map([['api-key', 's3cret']]);
    const notes = serverOutcome('notes', document.servers[0]!.raw, context({ inputs }));
    assert.equal(notes.kind, 'ready');
    assert.deepEqual(notes.kind === 'ready' && notes.config.transport, {
      type: 'stdio',
      command: 'node',
      args: [`${FOLDER}/server.js`, '--home', path.join(path.sep, 'home', 'me')],
      env: { KEY: 's3cret', FROM: 'from-env' },
      envVars: [],
      cwd: FOLDER,
    });
    assert.equal(notes.kind === 'ready' && notes.config.toolTimeoutMs, 300_000, "codex's tool timeout");
    assert.equal(notes.kind === 'ready' && notes.config.startupTimeoutMs, 30_000, "codex's startup timeout");

    const remote = serverOutcome('remote', document.servers[1]!.raw, context({ inputs }));
    assert.deepEqual(remote.kind === 'ready' && remote.config.transport, {
      type: 'streamableHttp',
      url: 'https://example.test/mcp',
      bearerTokenEnvVar: null,
      httpHeaders: { Authorization: 'Bearer s3cret' },
      envHttpHeaders: null,
    });
  });

  it('says where mcp.json cannot be parsed', () => {
    const document = parseMcpJson('{\n  "servers": {\n    "a": { "command": "x" \n  }\n', '/p/.vscode/mcp.json');
    assert.deepEqual(document.servers, []);
    assert.match(document.problems[0]!, /^\/p\/\.vscode\/mcp\.json:\d+:\d+: \w+/);
  });

  it('infers the type from command or url, and refuses SSE, unknown types, unknown variables and bad fields with a reason', () => {
    assert.equal(serverOutcome('a', { command: 'node' }, context()).kind, 'ready');
    const http = serverOutcome('b', { url: 'http://127.0.0.1:1/mcp' }, context());
    assert.equal(http.kind === 'ready' && http.config.transport.type, 'streamableHttp');
    const reasons = [
      serverOutcome('c', { type: 'sse', url: 'http://x' }, context()),
      serverOutcome('d', { type: 'websocket', url: 'ws://x' }, context()),
      serverOutcome('e', { command: 'node', args: ['${command:pickFile}'] }, context()),
      serverOutcome('f', { command: 'node', args: 'not a list' }, context()),
      serverOutcome('g', { type: 'stdio' }, context()),
      serverOutcome('h', 'nonsense', context()),
      serverOutcome('i', { command: '${workspaceFolder}/bin/server' }, context({ workspaceFolder: null })),
    ].map((o) => (o.kind === 'invalid' ? o.problem : `not refused: ${o.kind}`));
    assert.match(reasons[0]!, /SSE servers are not supported/);
    assert.match(reasons[1]!, /unknown server type "websocket"/);
    assert.match(reasons[2]!, /unsupported variable \$\{command:pickFile\}/);
    assert.match(reasons[3]!, /"args" must be a list of strings/);
    assert.match(reasons[4]!, /needs a "command"/);
    assert.match(reasons[5]!, /expected an object/);
    assert.match(reasons[6]!, /unsupported variable \$\{workspaceFolder\}/, 'a user-level server with no folder open');
  });

  it('reads an envFile under the env, which wins', () => {
    const files: string[] = [];
    const outcome = serverOutcome('a', { command: 'node', envFile: '${workspaceFolder}/.env', env: { B: 'from env' } }, context({
      readFile: (file) => {
        files.push(file);
        return '# comment\nA=1\nexport B="quoted"\nC=\'single\' \nD=plain # trailing\n';
      },
    }));
    assert.deepEqual(files, [`${FOLDER}/.env`]);
    assert.deepEqual(outcome.kind === 'ready' && outcome.config.transport.type === 'stdio' && outcome.config.transport.env, { A: '1', B: 'from env', C: 'single', D: 'plain' });
    const unreadable = serverOutcome('a', { command: 'node', envFile: '/nope/.env' }, context({ readFile: () => { throw new Error('ENOENT: no such file'); } }));
    assert.match(unreadable.kind === 'invalid' ? unreadable.problem : '', /cannot read its envFile \/nope\/\.env: ENOENT/);
    assert.deepEqual(parseEnvFile('X="a\\nb"\n=bad\n1X=bad'), { X: 'a\nb' });
  });

  it('reads the mcp setting, pickString inputs and a server name codex would not accept', () => {
    const document = readMcpValue({ servers: { 'My Server': { command: 'node' } }, inputs: [{ type: 'pickString', id: 'region', description: 'Region', options: ['eu', { value: 'us', label: 'US' }] }, { id: 'broken' }] }, 'the "mcp" setting');
    assert.deepEqual(document.inputs.map((i) => [i.id, i.type, i.options]), [['region', 'pickString', ['eu', 'us']]]);
    assert.match(document.problems[0]!, /an input needs an "id" and a "type"/);
    assert.equal(tandemServerName('My Server'), 'My_Server');
    assert.equal(tandemServerName('io.github/server@1'), 'io.github/server@1');
    const outcome = serverOutcome('My Server', document.servers[0]!.raw, context());
    assert.equal(outcome.kind === 'ready' && outcome.config.name, 'My_Server');
    assert.deepEqual(readMcpValue(undefined, 'x'), { servers: [], inputs: [], problems: [] });
    assert.match(readMcpValue([1], 'x').problems[0]!, /expected an object/);
  });
});
