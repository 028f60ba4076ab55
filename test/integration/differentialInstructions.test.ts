// Tandem against the codex oracle for what a thread is told and how a patch sent through exec_command runs:
// the global AGENTS.md and the project's (the message the model gets, `instructionSources`), a trusted
// project's `.codex/config.toml`, and `apply_patch <<'EOF'` as a real patch. Same client and model
// scripts on both servers; events, kinds of model input and recorded answers are compared.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { patchOf, textReply, toolCallReply } from '../support/fakeModel';
import type { Scenario, ScenarioContext } from '../support/differential';
import { answer, ASK_FOR_EVERYTHING, compareScenarios, startThread, turn } from '../support/differentialSteps';

const write = (file: string, text: string) => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
};

/** A path with the run's own folders masked: the workspace, and the server's home. */
const masked = (context: ScenarioContext, text: string) => text.split(context.workspace).join('<workspace>').split(context.home).join('<home>');

const userTexts = (context: ScenarioContext): string[] => {
  const input = context.model.lastTurnRequest().body.input as Array<{ role?: string; content?: Array<{ text?: string }> }>;
  return input.filter((i) => i.role === 'user').flatMap((i) => (i.content ?? []).map((c) => c.text ?? ''));
};

/** Each answer to the model, with its timings masked. */
const outputOf = (context: ScenarioContext, callId: string) => context.model.outputFor(callId).replace(/Wall time: [\d.]+ seconds/g, 'Wall time: <t> seconds');

const FULL_ACCESS = 'approval_policy = "never"\nsandbox_mode = "danger-full-access"';
const heredoc = (patch: string, head = "apply_patch <<'EOF'") => `${head}\n${patch}\nEOF`;

/** Trusts the workspace (or marks it untrusted) in the server's config and restarts it. */
async function setTrust(context: ScenarioContext, level: 'trusted' | 'untrusted'): Promise<void> {
  fs.appendFileSync(path.join(context.home, 'config.toml'), `\n[projects."${context.workspace}"]\ntrust_level = "${level}"\n`);
  await context.restart();
}

const SCENARIOS: Scenario[] = [
  {
    name: 'the global AGENTS.md, then the project chain, reach the model; instructionSources lists them',
    async run(context) {
      fs.mkdirSync(path.join(context.workspace, '.git'));
      write(path.join(context.home, 'AGENTS.md'), 'global rules\n');
      write(path.join(context.workspace, 'AGENTS.md'), 'root rules');
      write(path.join(context.workspace, 'sub', 'AGENTS.override.md'), 'sub override');
      write(path.join(context.workspace, 'sub', 'AGENTS.md'), 'sub plain');
      const cwd = path.join(context.workspace, 'sub');
      const started = await context.server.client.request('thread/start', { cwd });
      const threadId = started.result.thread.id;
      const sources = (result: { instructionSources: string[] }) => result.instructionSources.map((s) => masked(context, s));
      context.answers.push({ method: 'thread/start', answer: sources(started.result) });
      context.model.enqueue(textReply('ok'));
      await turn(context, threadId, 'go');
      context.answers.push({ method: 'model input', answer: userTexts(context).filter((t) => t.startsWith('# AGENTS.md')).map((t) => masked(context, t)) });
      context.answers.push({ method: 'thread/resume', answer: sources((await context.server.client.request('thread/resume', { threadId })).result) });
      context.answers.push({ method: 'thread/fork', answer: sources((await context.server.client.request('thread/fork', { threadId })).result) });
    },
  },
  {
    name: "the home's AGENTS.override.md alone: the heading names no folder",
    async run(context) {
      write(path.join(context.home, 'AGENTS.md'), 'global rules');
      write(path.join(context.home, 'AGENTS.override.md'), 'global override');
      const started = await context.server.client.request('thread/start', { cwd: context.workspace });
      context.answers.push({ method: 'thread/start', answer: started.result.instructionSources.map((s: string) => masked(context, s)) });
      context.model.enqueue(textReply('ok'));
      await turn(context, started.result.thread.id, 'go');
      context.answers.push({ method: 'model input', answer: userTexts(context).filter((t) => t.startsWith('# AGENTS.md')) });
    },
  },
  {
    name: "a trusted project's .codex/config.toml sets the model; an untrusted one's does not",
    modelInputsDiffer: 'the project model is unknown to both; codex tells the client so with a warning and fallback metadata',
    async run(context) {
      write(path.join(context.workspace, '.codex', 'config.toml'), 'model = "project-model"\n');
      const pick = (result: { model: string; approvalPolicy: string; sandbox: { type: string } }) => ({ model: result.model, approvalPolicy: result.approvalPolicy });
      context.answers.push({ method: 'thread/start untrusted folder', answer: pick((await context.server.client.request('thread/start', { cwd: context.workspace })).result) });
      await setTrust(context, 'trusted');
      const started = await context.server.client.request('thread/start', { cwd: context.workspace });
      context.answers.push({ method: 'thread/start trusted folder', answer: { ...pick(started.result), sandbox: started.result.sandbox.type } });
    },
  },
  {
    name: 'a folder marked untrusted ignores its .codex/config.toml and asks before every command',
    async run(context) {
      write(path.join(context.workspace, '.codex', 'config.toml'), 'model = "project-model"\n');
      await setTrust(context, 'untrusted');
      const started = await context.server.client.request('thread/start', { cwd: context.workspace });
      context.answers.push({ method: 'thread/start', answer: { model: started.result.model, approvalPolicy: started.result.approvalPolicy, sandbox: started.result.sandbox.type } });
    },
  },
  {
    name: "apply_patch <<'EOF' through exec_command is a patch: fileChange, turn diff, codex's answer",
    config: FULL_ACCESS,
    async run(context) {
      fs.writeFileSync(path.join(context.workspace, 'a.txt'), 'one\ntwo\n');
      fs.mkdirSync(path.join(context.workspace, 'sub'));
      const threadId = await startThread(context);
      context.model.enqueue(
        toolCallReply('exec_command', { cmd: heredoc(patchOf('*** Update File: a.txt', '@@', '-one', '+uno')) }, 'c1'),
        toolCallReply('exec_command', { cmd: heredoc(patchOf('*** Add File: b.txt', '+bee'), "cd sub && applypatch <<'EOF'") }, 'c2'),
        textReply('patched'),
      );
      await turn(context, threadId, 'patch it');
      context.answers.push({ method: 'model input', answer: [outputOf(context, 'c1'), outputOf(context, 'c2')] });
      context.answers.push({ method: 'files', answer: [fs.readFileSync(path.join(context.workspace, 'a.txt'), 'utf8'), fs.readFileSync(path.join(context.workspace, 'sub', 'b.txt'), 'utf8')] });
    },
  },
  {
    name: 'a heredoc patch declined under untrusted writes nothing',
    async run(context) {
      const threadId = await startThread(context, ASK_FOR_EVERYTHING);
      context.model.enqueue(toolCallReply('exec_command', { cmd: heredoc(patchOf('*** Add File: no.txt', '+n')) }, 'c1'), textReply('ok'));
      answer(context, 'item/fileChange/requestApproval', { decision: 'decline' });
      await turn(context, threadId, 'add it');
      context.answers.push({ method: 'files', answer: fs.existsSync(path.join(context.workspace, 'no.txt')) });
    },
  },
  {
    name: 'a heredoc with a bad patch gives the model the patch error and runs nothing',
    config: FULL_ACCESS,
    async run(context) {
      const threadId = await startThread(context);
      context.model.enqueue(toolCallReply('exec_command', { cmd: heredoc('not a patch') }, 'c1'), textReply('will fix'));
      await turn(context, threadId, 'patch it');
      context.answers.push({ method: 'model input', answer: outputOf(context, 'c1').startsWith('apply_patch verification failed: ') });
    },
  },
];

describe('differential: instructions and apply_patch through exec_command, Tandem vs codex 0.169', function () {
  this.timeout(120_000);
  compareScenarios(SCENARIOS);
});
