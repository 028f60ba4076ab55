// The chat webview's entry. It speaks the app-server protocol through the extension host.
const root = document.getElementById('root');
if (root) root.textContent = 'Tandem';
