// The page's only way out: the preload's `window.headroom`, typed by the shared contract.
import type { HeadroomBridge } from '../shared/ipc-contract.js';

declare global {
  interface Window {
    headroom: HeadroomBridge;
  }
}

export function headroom(): HeadroomBridge {
  const bridge = window.headroom;
  if (!bridge) throw new Error('The Headroom bridge is missing: this page only runs inside the Headroom app.');
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
