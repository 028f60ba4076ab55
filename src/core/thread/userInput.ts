// Turns the client's user input into the message the model receives, refusing what cannot be sent.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ErrorCode, RpcError, invalidRequest, MAX_MESSAGE_IMAGES_BYTES, MAX_USER_INPUT_CHARS, type UserInput } from '../../protocol';
import type { ContentItem, ResponseItem } from '../model/responseItems';

/** Images larger than this are refused rather than inlined into every request (codex's bound on a local image). */
export const MAX_LOCAL_IMAGE_BYTES = 20 * 1024 * 1024;
const IMAGE_TYPES: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp' };

/** Checks input before a turn starts; throws an RpcError a client can show. A new turn may start with no input. */
export function validateUserInput(input: readonly UserInput[], options: { allowEmpty?: boolean } = {}): void {
  if (input.length === 0 && !options.allowEmpty) throw invalidRequest('input must not be empty');
  const chars = input.reduce((sum, item) => sum + (item.type === 'text' ? countChars(item.text) : 0), 0);
  if (chars > MAX_USER_INPUT_CHARS) {
    throw new RpcError(ErrorCode.InvalidParams, `Input exceeds the maximum length of ${MAX_USER_INPUT_CHARS} characters.`, {
      input_error_code: 'input_too_large',
      max_chars: MAX_USER_INPUT_CHARS,
      actual_chars: chars,
    });
  }
  let total = 0;
  for (const item of input) {
    if (item.type !== 'image') continue;
    // Tandem never fetches an image for the model: a client pastes or attaches it.
    if (!item.url.startsWith('data:')) throw invalidRequest(`image input must be a data: URL (paste or attach the image), not ${JSON.stringify(item.url.slice(0, 60))}`);
    if (!IMAGE_DATA_URL.test(item.url.slice(0, 40))) throw invalidRequest(`an image must be a base64 data: URL of a PNG, JPEG, GIF or WebP image, not ${JSON.stringify(item.url.slice(0, 40))}`);
    const bytes = base64Bytes(item.url);
    if (bytes > MAX_LOCAL_IMAGE_BYTES) throw invalidRequest(`an image can be at most ${MAX_LOCAL_IMAGE_BYTES / 1024 / 1024} MiB; this one is ${(bytes / 1024 / 1024).toFixed(1)} MiB`);
    total += bytes;
    if (total > MAX_MESSAGE_IMAGES_BYTES) throw invalidRequest(`the images of one message can take at most ${MAX_MESSAGE_IMAGES_BYTES / 1024 / 1024} MiB together; send them over several messages`);
  }
}

/** The image types the model reads, as a data: URL carries them. */
const IMAGE_DATA_URL = /^data:image\/(png|jpeg|gif|webp);base64,/i;

/** The decoded size of a base64 data: URL's payload (checked by IMAGE_DATA_URL), without decoding it. */
function base64Bytes(url: string): number {
  const payload = url.slice(url.indexOf(',') + 1);
  const padding = payload.endsWith('==') ? 2 : payload.endsWith('=') ? 1 : 0;
  return Math.floor((payload.length * 3) / 4) - padding;
}

/** Characters as codex counts them: Unicode scalar values, so a surrogate pair is one. */
export function countChars(text: string): number {
  let pairs = 0;
  for (let i = 0; i < text.length - 1; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        pairs += 1;
        i += 1;
      }
    }
  }
  return text.length - pairs;
}

export function userMessageItem(input: readonly UserInput[], cwd: string): ResponseItem {
  const content: ContentItem[] = [];
  let imageNumber = 0;
  for (const item of input) {
    switch (item.type) {
      case 'text':
        content.push({ type: 'input_text', text: item.text });
        break;
      case 'image':
        imageNumber += 1;
        content.push({ type: 'input_text', text: `<image name=[Image #${imageNumber}]>` });
        content.push({ type: 'input_image', image_url: item.url, detail: item.detail ?? 'high' });
        content.push({ type: 'input_text', text: '</image>' });
        break;
      case 'localImage': {
        imageNumber += 1;
        content.push({ type: 'input_text', text: `<image name=[Image #${imageNumber}] path=${JSON.stringify(item.path)}>` });
        content.push(localImage(path.resolve(cwd, item.path), item.detail ?? 'high'));
        content.push({ type: 'input_text', text: '</image>' });
        break;
      }
      case 'mention':
        content.push({ type: 'input_text', text: `[@${item.name}](${item.path})` });
        break;
      case 'skill':
        content.push({ type: 'input_text', text: `[$${item.name}](${item.path})` });
        break;
    }
  }
  return { type: 'message', role: 'user', content };
}

function localImage(file: string, detail: string): ContentItem {
  const mime = IMAGE_TYPES[path.extname(file).toLowerCase()];
  if (!mime) return { type: 'input_text', text: `(the image ${file} was not attached: unsupported file type)` };
  try {
    const stat = fs.statSync(file);
    if (stat.size > MAX_LOCAL_IMAGE_BYTES) return { type: 'input_text', text: `(the image ${file} was not attached: it is larger than 20 MiB)` };
    return { type: 'input_image', image_url: `data:${mime};base64,${fs.readFileSync(file).toString('base64')}`, detail };
  } catch (error) {
    return { type: 'input_text', text: `(the image ${file} could not be read: ${(error as Error).message})` };
  }
}

/** What the model sees when the user interrupted the previous turn. */
export const TURN_ABORTED_MARKER =
  '<turn_aborted>\nThe user interrupted the previous turn on purpose. If any tools or commands were aborted, they may have partially executed.\n</turn_aborted>';
