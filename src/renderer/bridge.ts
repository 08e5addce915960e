// The page's only way out: the preload's `window.breather`, typed by the shared contract.
import type { BreatherBridge } from '../shared/ipc-contract.js';

declare global {
  interface Window {
    breather: BreatherBridge;
  }
}

export function breather(): BreatherBridge {
  const bridge = window.breather;
  if (!bridge) throw new Error('The Breather bridge is missing: this page only runs inside the Breather app.');
  return bridge;
}

/** A child element by id, typed; throws if the page lacks it. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from the page`);
  return element as T;
}

export function element<K extends keyof HTMLElementTagNameMap>(tag: K, options: { className?: string; text?: string; testId?: string } = {}, ...children: Node[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (options.className) node.className = options.className;
  if (options.text !== undefined) node.textContent = options.text;
  if (options.testId) node.dataset.testid = options.testId;
  node.append(...children);
  return node;
}
