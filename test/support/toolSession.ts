// A server with a fake model, for suites that script tool calls: boots both, reads what the model was told
// about a call, and answers server requests one by one.
import { FakeModelServer } from './fakeModel';
import { spawnStdioServer, type SpawnedServer, type WireMessage } from './protocolClient';
import { makeTempHome, type TempHome } from './tempHome';

export const patchOf = (...lines: string[]) => ['*** Begin Patch', ...lines, '*** End Patch'].join('\n');

export class ToolSession {
  readonly model = new FakeModelServer();
  temp!: TempHome;
  server!: SpawnedServer;
  private readonly answered = new Set<string | number>();

  /** `env` may be a function of the temp folders, to prepare them before the server starts. */
  async boot(extraConfig = '', env: NodeJS.ProcessEnv | ((temp: TempHome) => NodeJS.ProcessEnv) = {}): Promise<this> {
    await this.model.start();
    this.temp = makeTempHome({ baseUrl: this.model.baseUrl, extraConfig });
    const extra = typeof env === 'function' ? env(this.temp) : env;
    this.server = spawnStdioServer({ env: { ...this.temp.env, ...extra } });
    await this.server.client.initialize('tandem_test');
    return this;
  }

  async close(): Promise<void> {
    await this.server?.close();
    await this.model.stop();
  }

  /** The output the model received for a call, from the request after it. */
  outputFor(callId: string): string {
    for (const request of this.model.requests) {
      const found = (request.body.input as Array<{ type: string; call_id?: string; output?: string }>).find((i) => i.type.endsWith('_output') && i.call_id === callId);
      if (found) return String(found.output);
    }
    throw new Error(`no output for ${callId}`);
  }

  /** Answers the next server request of this method not answered (or resolved by the server) yet. */
  answerNext(method: string, result: unknown): Promise<WireMessage> {
    const client = this.server.client;
    return client
      .waitFor((m) => m.method === method && m.id !== undefined && !this.answered.has(m.id) && !client.received.some((r) => r.method === 'serverRequest/resolved' && r.params.requestId === m.id))
      .then((request) => {
        this.answered.add(request.id!);
        client.send({ id: request.id, result });
        return request;
      });
  }
}
