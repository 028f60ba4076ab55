// Images into the composer: pasted or dropped image files become image chips (sent as data: URLs), and
// image files dragged from the workspace (a uri-list) become local images the server reads. Anything else
// is refused with the reason; nothing is dropped silently.
import * as l10n from '@vscode/l10n';
import { IMAGE_MIME_TYPES, MAX_IMAGE_BYTES } from '../src/protocol/ideContextFormat';
import { megabytes, type Attachment, type AttachmentTray } from './attachments';

const IMAGE_EXTENSIONS = /\.(png|jpe?g|gif|webp)$/i;
/** What VS Code puts on a drag from its explorer or editor tabs, and what browsers use. */
const URI_LIST_TYPES = ['application/vnd.code.uri-list', 'text/uri-list'];

/** Reads an image file as a chip; throws, saying why, for a file that is not a PNG, JPEG, GIF or WebP or is too large. */
export async function imageFromFile(file: File): Promise<Attachment> {
  const name = file.name || l10n.t('Pasted image');
  if (!(IMAGE_MIME_TYPES as readonly string[]).includes(file.type)) {
    throw new Error(
      file.type
        ? l10n.t('{0} was not attached: only PNG, JPEG, GIF and WebP images can be sent (it is {1}).', name, file.type)
        : l10n.t('{0} was not attached: only PNG, JPEG, GIF and WebP images can be sent.', name),
    );
  }
  if (file.size > MAX_IMAGE_BYTES) throw new Error(l10n.t('{0} was not attached: it is {1}, and an image can be at most {2} MB.', name, megabytes(file.size), MAX_IMAGE_BYTES / 1024 / 1024));
  const url = await new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(new Error(l10n.t('{0} could not be read.', name)));
    reader.readAsDataURL(file);
  });
  return { kind: 'image', name, url, bytes: file.size };
}

/** Image files named in a uri-list (file: URIs only), as paths. */
export function localImagesIn(uriList: string): string[] {
  const paths: string[] = [];
  for (const line of uriList.split(/\r?\n/)) {
    const text = line.trim();
    if (!text || text.startsWith('#')) continue;
    try {
      const url = new URL(text);
      if (url.protocol !== 'file:' || !IMAGE_EXTENSIONS.test(url.pathname)) continue;
      const path = decodeURIComponent(url.pathname);
      // file:///c%3A/x.png is C:\x.png on Windows.
      paths.push(/^\/[a-zA-Z]:/.test(path) ? path.slice(1) : path);
    } catch {
      // Not a URI: not ours to read.
    }
  }
  return paths;
}

/** Listens for pasted and dropped images on the composer; `report` shows why one was not attached. */
export function acceptImages(form: HTMLElement, input: HTMLTextAreaElement, tray: AttachmentTray, report: (problem: string) => void): void {
  const attach = async (files: File[]) => {
    for (const file of files) {
      try {
        const problem = tray.add(await imageFromFile(file));
        if (problem) report(problem);
      } catch (error) {
        report((error as Error).message);
      }
    }
  };
  input.addEventListener('paste', (event) => {
    const files = [...(event.clipboardData?.files ?? [])];
    if (files.length === 0) return;
    // A copied image often comes with its text or HTML too: the image is what was meant.
    event.preventDefault();
    void attach(files);
  });
  const carriesImages = (data: DataTransfer | null) => !!data && (data.types.includes('Files') || URI_LIST_TYPES.some((type) => data.types.includes(type)));
  form.addEventListener('dragover', (event) => {
    if (!carriesImages(event.dataTransfer)) return;
    event.preventDefault();
    form.classList.add('drop-target');
  });
  form.addEventListener('dragleave', () => form.classList.remove('drop-target'));
  form.addEventListener('drop', (event) => {
    form.classList.remove('drop-target');
    const data = event.dataTransfer;
    if (!data) return;
    const files = [...data.files];
    if (files.length > 0) {
      event.preventDefault();
      void attach(files);
      return;
    }
    const uriList = URI_LIST_TYPES.map((type) => data.getData(type)).find(Boolean) ?? '';
    const paths = localImagesIn(uriList);
    if (paths.length === 0) return; // not images: the text box takes the drop as text
    event.preventDefault();
    for (const path of paths) {
      const problem = tray.add({ kind: 'localImage', path });
      if (problem) report(problem);
    }
  });
}
