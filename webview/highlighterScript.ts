// highlight.js reaches the chat's page in a script of its own, dist/webview-highlighter.js, loaded from beside
// the page's script once the thread is on screen: opening the chat then parses a third less script. That
// script hands its modules over through a global; the page loads it with its own script's nonce, which the
// webview's content security policy asks of every script.
import type { HighlightModules } from './highlightGrammars';

/** The highlighter's script, in the folder of the page's script. */
export const HIGHLIGHTER_SCRIPT = 'webview-highlighter.js';
const GLOBAL = 'tandemHighlightModules';
type Carrier = { [GLOBAL]?: HighlightModules };

/** Called by the highlighter's script when it runs. */
export function publishHighlightModules(modules: HighlightModules): void {
  (globalThis as Carrier)[GLOBAL] = modules;
}

/** highlight.js, once its script has run; undefined before. */
export function loadedHighlightModules(): HighlightModules | undefined {
  return (globalThis as Carrier)[GLOBAL];
}

/** The page's script, read while it runs (afterwards `currentScript` is null): its address and nonce. */
const pageScript = typeof document === 'undefined' ? null : (document.currentScript as HTMLScriptElement | null);
let loading: Promise<HighlightModules | undefined> | undefined;

/** Loads the highlighter's script once; resolves with its modules, or undefined if it could not load (code stays plain). */
export function loadHighlightModules(): Promise<HighlightModules | undefined> {
  loading ??= new Promise((resolve) => {
    if (loadedHighlightModules()) {
      resolve(loadedHighlightModules());
      return;
    }
    const script = document.createElement('script');
    if (pageScript?.nonce) script.nonce = pageScript.nonce;
    script.src = new URL(HIGHLIGHTER_SCRIPT, pageScript?.src || document.baseURI).href;
    script.addEventListener('load', () => resolve(loadedHighlightModules()));
    script.addEventListener('error', () => resolve(undefined));
    document.head.append(script);
  });
  return loading;
}
