import type { Page } from 'playwright-core';

/**
 * Small accessibility checks run in the page, in the spirit of axe (which the project does not
 * install): controls without an accessible name, per Chromium's own accessibility tree, and the
 * WCAG contrast ratio of an element's text against its background.
 */

interface AXNode {
  ignored: boolean;
  role?: { value: string };
  name?: { value: string };
}

const CONTROLS = new Set(['button', 'link', 'textbox', 'switch', 'checkbox', 'combobox', 'searchbox', 'tab']);

/** Roles of visible controls whose accessible name is empty (should be none). */
export async function unnamedControls(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: AXNode[] };
    return nodes.filter((node) => !node.ignored && CONTROLS.has(node.role?.value ?? '') && !(node.name?.value ?? '').trim()).map((node) => node.role!.value);
  } finally {
    await cdp.detach();
  }
}

/** Accessible names of the visible controls with `role` (e.g. every button's name). */
export async function controlNames(page: Page, role: string): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: AXNode[] };
    return nodes.filter((node) => !node.ignored && node.role?.value === role).map((node) => node.name?.value ?? '');
  } finally {
    await cdp.detach();
  }
}

/** WCAG 2 contrast ratio of the first element matching `selector`: its text colour on the first opaque background up its ancestors. */
export function contrastOf(page: Page, selector: string): Promise<number> {
  return page.evaluate<number>(`(() => {
    const parse = (value) => (value.match(/[\\d.]+/g) || []).map(Number);
    const luminance = ([r, g, b]) => {
      const [R, G, B] = [r, g, b].map((c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; });
      return 0.2126 * R + 0.7152 * G + 0.0722 * B;
    };
    const element = document.querySelector(${JSON.stringify(selector)});
    if (!element) throw new Error('no element ' + ${JSON.stringify(selector)});
    let node = element;
    let background = null;
    while (node && !background) {
      const rgba = parse(getComputedStyle(node).backgroundColor);
      if (rgba.length === 3 || (rgba.length === 4 && rgba[3] === 1)) background = rgba.slice(0, 3);
      node = node.parentElement;
    }
    background = background || [255, 255, 255];
    const [l1, l2] = [luminance(parse(getComputedStyle(element).color).slice(0, 3)), luminance(background)].sort((a, b) => b - a);
    return (l1 + 0.05) / (l2 + 0.05);
  })()`);
}

/** How many lines the text of each element matching `selector` takes (1 = it did not wrap). */
export function lineCounts(page: Page, selector: string): Promise<number[]> {
  return page.evaluate<number[]>(`[...document.querySelectorAll(${JSON.stringify(selector)})].filter((el) => el.offsetParent !== null).map((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const tops = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
    return tops.size;
  })`);
}
