// Renders the chat from the store. Elements are kept per item id and only changed items are touched, once
// per animation frame, so streaming into a long thread does not rebuild the page.
import type { ThreadItem } from '../src/protocol';
import type { ChatStore } from './store';

export interface ChatElements {
  title: HTMLElement;
  messages: HTMLElement;
  banner: HTMLElement;
  usage: HTMLElement;
  send: HTMLButtonElement;
  stop: HTMLButtonElement;
  input: HTMLTextAreaElement;
  hint: HTMLElement;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function buildLayout(root: HTMLElement): ChatElements {
  root.replaceChildren();
  const header = el('header', 'thread-header');
  const title = el('h1', 'thread-title', 'New thread');
  const usage = el('span', 'usage');
  header.append(title, usage);
  const messages = el('main', 'messages');
  messages.setAttribute('role', 'log');
  messages.setAttribute('aria-live', 'polite');
  messages.setAttribute('aria-label', 'Conversation');
  messages.tabIndex = 0;
  const banner = el('div', 'banner');
  banner.setAttribute('role', 'status');
  banner.hidden = true;
  const form = el('form', 'composer');
  const input = el('textarea');
  input.rows = 3;
  input.placeholder = 'Ask Tandem… (Enter to send, Shift+Enter for a new line)';
  input.setAttribute('aria-label', 'Message to Tandem');
  const actions = el('div', 'composer-actions');
  const hint = el('span', 'hint');
  hint.setAttribute('aria-live', 'polite');
  const stop = el('button', 'stop', 'Stop');
  stop.type = 'button';
  stop.hidden = true;
  stop.setAttribute('aria-label', 'Stop the running turn');
  const send = el('button', 'send', 'Send');
  send.type = 'submit';
  send.setAttribute('aria-label', 'Send message');
  actions.append(hint, stop, send);
  form.append(input, actions);
  root.append(header, messages, banner, form);
  return { title, messages, banner, usage, send, stop, input, hint };
}

export class ChatView {
  private readonly nodes = new Map<string, HTMLElement>();
  private frame: number | undefined;

  constructor(
    private readonly store: ChatStore,
    private readonly elements: ChatElements,
  ) {
    store.onChange(() => this.schedule());
  }

  schedule(): void {
    if (this.frame !== undefined) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = undefined;
      this.render();
    });
  }

  render(): void {
    const { state } = this.store;
    const { messages } = this.elements;
    const stickToBottom = messages.scrollHeight - messages.scrollTop - messages.clientHeight < 40;
    if (this.store.structureChanged) {
      this.store.structureChanged = false;
      const wanted: HTMLElement[] = [];
      const live = new Set<string>();
      for (const turn of state.turns) {
        for (const item of turn.items) {
          live.add(item.id);
          let node = this.nodes.get(item.id);
          if (!node) {
            node = el('article');
            this.nodes.set(item.id, node);
            this.fill(node, item);
          } else if (this.store.dirtyItems.has(item.id)) {
            this.fill(node, item);
          }
          wanted.push(node);
        }
        if (turn.status === 'interrupted') wanted.push(this.marker(`${turn.id}:interrupted`, 'Turn interrupted.'));
      }
      for (const [id, node] of this.nodes) {
        if (!live.has(id) && !id.includes(':')) {
          node.remove();
          this.nodes.delete(id);
        }
      }
      messages.replaceChildren(...wanted);
    } else {
      for (const id of this.store.dirtyItems) {
        const node = this.nodes.get(id);
        const item = this.findItem(id);
        if (node && item) this.fill(node, item);
      }
    }
    this.store.dirtyItems.clear();
    if (state.turns.length === 0) messages.replaceChildren(el('p', 'empty', 'Ask Tandem to explain, change or run something in this workspace.'));
    this.renderChrome();
    if (stickToBottom) messages.scrollTop = messages.scrollHeight;
  }

  private renderChrome(): void {
    const { state } = this.store;
    const { title, banner, stop, send, hint, usage } = this.elements;
    title.textContent = state.threadName ?? (state.threadId ? 'Thread' : 'New thread');
    banner.hidden = state.banner === null;
    banner.className = `banner ${state.banner?.kind ?? ''}`;
    banner.textContent = state.banner?.text ?? '';
    const running = state.activeTurnId !== null;
    stop.hidden = !running;
    send.textContent = running ? 'Steer' : 'Send';
    hint.textContent = state.waitingOnApproval ? 'Waiting for your approval…' : running ? 'Working… you can add to the request' : '';
    const total = state.tokenUsage?.total.totalTokens;
    usage.textContent = total ? `${total.toLocaleString()} tokens` : '';
  }

  private marker(key: string, text: string): HTMLElement {
    let node = this.nodes.get(key);
    if (!node) {
      node = el('p', 'marker', text);
      this.nodes.set(key, node);
    }
    return node;
  }

  private findItem(id: string): ThreadItem | undefined {
    for (const turn of this.store.state.turns) {
      const item = turn.items.find((i) => i.id === id);
      if (item) return item;
    }
    return undefined;
  }

  private fill(node: HTMLElement, item: ThreadItem): void {
    switch (item.type) {
      case 'userMessage':
        node.className = 'message user';
        node.textContent = item.content.map((c) => (c.type === 'text' ? c.text : c.type === 'localImage' ? `[image ${c.path}]` : c.type === 'image' ? '[image]' : `@${c.name}`)).join('\n');
        node.setAttribute('aria-label', 'You');
        break;
      case 'agentMessage':
        node.className = 'message agent';
        node.textContent = item.text;
        node.setAttribute('aria-label', 'Tandem');
        break;
      case 'reasoning': {
        node.className = 'reasoning';
        let details = node.querySelector('details');
        if (!details) {
          details = el('details');
          details.append(el('summary', undefined, 'Thinking'), el('div', 'reasoning-text'));
          node.replaceChildren(details);
        }
        details.querySelector('.reasoning-text')!.textContent = item.summary.filter(Boolean).join('\n\n') || '…';
        break;
      }
      case 'contextCompaction':
        node.className = 'marker';
        node.textContent = 'Context compacted: earlier messages were summarised for the model.';
        break;
      default:
        node.className = 'card';
        node.textContent = `${item.type}${'status' in item ? ` (${item.status})` : ''}`;
    }
  }
}
