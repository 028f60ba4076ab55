// view_image: the model looks at an image file on disk (a screenshot, a diagram in the repository). As in
// codex, the image goes back to the model as image input in the tool's output, and the thread shows an
// `imageView` item. Only real images are sent — the bytes are checked, not the file name — and nothing is
// read from Tandem's or codex's home, where the credentials are.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { z } from 'zod';
import { lazy } from '../../protocol/lazy';
import { defaultCodexHome } from '../exec/protectedPaths';
import { isInside, resolveRealPath } from '../approvals/realPath';
import type { ToolHandler } from './registry';
import { functionSpec, parseToolArguments } from './toolArguments';

/** Larger images are refused rather than sent: a request carries them whole, base64-encoded. */
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

export const ViewImageArguments = lazy(() => z.object({ path: z.string().describe('Local filesystem path to an image file.') }));

/** The image type of `bytes` from its signature, or undefined when it is not an image the model reads. */
export function imageMime(bytes: Buffer): string | undefined {
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 6 && (bytes.subarray(0, 6).toString('latin1') === 'GIF87a' || bytes.subarray(0, 6).toString('latin1') === 'GIF89a')) return 'image/gif';
  if (bytes.length >= 12 && bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  return undefined;
}

export const viewImageTool: ToolHandler = {
  name: 'view_image',
  parallel: true,
  spec: functionSpec('view_image', 'View a local image file (PNG, JPEG, GIF or WebP) when you need to see it, for example a screenshot or a diagram in the workspace.', ViewImageArguments),
  async handle(call, context) {
    const args = parseToolArguments(call, 'view_image', ViewImageArguments);
    if (!args.ok) return { output: args.message, success: false };
    const file = path.resolve(context.cwd, args.value.path);
    const real = await resolveRealPath(file);
    for (const home of [context.home, defaultCodexHome()]) {
      if (isInside(real, await resolveRealPath(home))) return { output: `unable to view ${file}: files in ${home} (settings and credentials) are not shown to the model`, success: false };
    }
    let bytes: Buffer;
    try {
      const stat = await fs.stat(real);
      if (!stat.isFile()) return { output: `unable to locate image at \`${file}\`: not a file`, success: false };
      if (stat.size > MAX_IMAGE_BYTES) return { output: `unable to process image: ${file} is ${stat.size} bytes, more than the ${MAX_IMAGE_BYTES} an image may have`, success: false };
      bytes = await fs.readFile(real);
    } catch (error) {
      return { output: `unable to locate image at \`${file}\`: ${(error as Error).message}`, success: false };
    }
    const mime = imageMime(bytes);
    if (!mime) return { output: 'unable to process image: invalid or unsupported image data', success: false };
    const item = { type: 'imageView' as const, id: call.call_id, path: file };
    await context.startItem(item);
    context.completeItem(item);
    return { output: [{ type: 'input_image', image_url: `data:${mime};base64,${bytes.toString('base64')}`, detail: 'original' }], success: true };
  },
};
