// A tiny element builder for the demo pages (no framework, no build step).

/**
 * Creates an element. `props` entries named `aria-*` or `data-*` (or with a
 * dash anywhere) become attributes; the others are set as properties
 * (className, textContent, type, title, ...). Children are appended.
 * @param {string} tag
 * @param {Record<string, string | boolean>} [props]
 * @param {...(Node | string)} children
 * @returns {HTMLElement}
 */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (name.includes('-')) element.setAttribute(name, String(value));
    else element[name] = value;
  }
  element.append(...children);
  return element;
}

/** Sets a `.status` badge's state (`data-state`) and text. */
export function setStatus(element, state, text) {
  element.dataset.state = state;
  element.textContent = text;
}
