// The chat's small DOM builders, shared by every part of the page (kept apart from the cards so that the
// modules the cards use can build with them too without importing the cards back).

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A codicon, hidden from screen readers: the control it sits in carries the accessible name. */
export function icon(name: string): HTMLElement {
  const node = el('span', `codicon codicon-${name}`);
  node.setAttribute('aria-hidden', 'true');
  return node;
}

/** A button with a codicon and a visible label. */
export function iconButton(name: string, label: string, className = 'icon-button'): HTMLButtonElement {
  const node = el('button', className);
  node.type = 'button';
  node.append(icon(name), el('span', 'label', label));
  return node;
}
