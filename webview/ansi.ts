// Command output with ANSI colours, as DOM nodes (never HTML strings): anser parses the escape codes,
// and the colours map to VS Code's terminal theme through CSS classes.
import Anser from 'anser';

export function renderAnsi(target: HTMLElement, text: string): void {
  const fragment = document.createDocumentFragment();
  for (const part of Anser.ansiToJson(text, { use_classes: true, remove_empty: true })) {
    const classes = [part.fg ? `${part.fg}-fg` : '', part.bg ? `${part.bg}-bg` : '', ...(part.decorations ?? []).map((d) => `ansi-${d}`)].filter(Boolean);
    if (classes.length === 0) {
      fragment.append(part.content);
      continue;
    }
    const span = document.createElement('span');
    span.className = classes.join(' ');
    span.textContent = part.content;
    fragment.append(span);
  }
  target.replaceChildren(fragment);
}
