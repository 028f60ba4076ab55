// Entry of dist/webview-highlighter.js, the script the chat's page loads once it has shown the thread: it hands
// highlight.js and its grammars to the page's script (see highlighterScript.ts), which highlights code with them.
import { HIGHLIGHT_MODULES } from './highlightGrammars';
import { publishHighlightModules } from './highlighterScript';

publishHighlightModules(HIGHLIGHT_MODULES);
