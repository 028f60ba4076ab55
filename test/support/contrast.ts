// WCAG contrast of rendered text against what is really behind it, for the browser and e2e tests: the page
// reports each text's colour and the background colours of it and its ancestors; Node composites them
// (a translucent colour over what is under it) and computes the ratio.

/** One text as the page renders it: its colour, and the backgrounds from the element up to the root. */
export interface TextSample {
  text: string;
  color: string;
  backgrounds: string[];
}

/**
 * Runs in the page (pass it to `$$eval` or `evaluateAll`): one sample per element that holds text. It is
 * serialised on its own, so it uses nothing from this module.
 */
export function sampleTexts(nodes: Element[]): TextSample[] {
  return nodes
    .filter((node) => node.textContent?.trim())
    .map((node) => {
      const backgrounds: string[] = [];
      for (let at: Element | null = node; at; at = at.parentElement) backgrounds.push(getComputedStyle(at).backgroundColor);
      return { text: node.textContent!.trim().slice(0, 60), color: getComputedStyle(node).color, backgrounds };
    });
}

type Rgba = [number, number, number, number];

/** `rgb(…)`/`rgba(…)`, or the `color(srgb …)` form Chromium uses for some computed colours. */
export function parseColor(css: string): Rgba {
  if (css === 'transparent') return [0, 0, 0, 0];
  const srgb = /^color\(srgb ([\d.]+) ([\d.]+) ([\d.]+)(?: \/ ([\d.]+))?\)$/.exec(css);
  if (srgb) return [Number(srgb[1]) * 255, Number(srgb[2]) * 255, Number(srgb[3]) * 255, srgb[4] === undefined ? 1 : Number(srgb[4])];
  const rgb = /^rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)$/.exec(css);
  if (!rgb) throw new Error(`not a colour this test reads: ${css}`);
  return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3]), rgb[4] === undefined ? 1 : Number(rgb[4])];
}

/** `top` painted over the opaque `under`. */
function over(top: Rgba, under: Rgba): Rgba {
  const a = top[3];
  return [top[0] * a + under[0] * (1 - a), top[1] * a + under[1] * (1 - a), top[2] * a + under[2] * (1 - a), 1];
}

/** WCAG's contrast ratio of two opaque colours. */
export function contrastRatio(a: Rgba, b: Rgba): number {
  const luminance = ([r, g, bl]: Rgba) => {
    const [lr, lg, lb] = [r, g, bl].map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * lr! + 0.7152 * lg! + 0.0722 * lb!;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/** A sample's text colour against its effective background (the page behind everything counts as white, as a browser's canvas). */
export function sampleContrast(sample: TextSample): { ratio: number; color: string; background: string } {
  let background: Rgba = [255, 255, 255, 1];
  for (const layer of [...sample.backgrounds].reverse()) background = over(parseColor(layer), background);
  const color = over(parseColor(sample.color), background);
  const css = (c: Rgba) => `rgb(${c.slice(0, 3).map((v) => Math.round(v)).join(', ')})`;
  return { ratio: contrastRatio(color, background), color: css(color), background: css(background) };
}
