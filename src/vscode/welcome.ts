// What the first-run welcome knows about local model servers: asked once when the welcome is first
// shown, and again on request. Free of the vscode module.
import type { LocalModelServer, WelcomeState } from '../protocol';

export class LocalModelDetection {
  private state: WelcomeState = { detecting: false, localServers: [] };
  private asked = false;

  constructor(
    private readonly detect: () => Promise<LocalModelServer[]>,
    /** The state changed: the chat should be sent it again. */
    private readonly changed: () => void,
  ) {}

  /** The state to show; the first call starts a detection. */
  current(): WelcomeState {
    if (!this.asked) void this.refresh();
    return this.state;
  }

  async refresh(): Promise<void> {
    this.asked = true;
    if (this.state.detecting) return;
    this.state = { ...this.state, detecting: true };
    this.changed();
    const localServers = await this.detect().catch(() => []);
    this.state = { detecting: false, localServers };
    this.changed();
  }
}
