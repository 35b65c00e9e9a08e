// DOM helpers shared by the webview views (chat, providers). They build elements from the
// document at call time, so a test can run them under jsdom.

export type Child = Node | string | false | undefined | null;

/** An element with attributes (`true` → empty attribute; `undefined`/`false` → none) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K, attributes: Record<string, string | boolean | undefined> = {}, ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) if (child !== undefined && child !== null && child !== false) element.append(child);
  return element;
}

/** A codicon glyph, hidden from assistive technology. */
export function icon(name: string, extra = ''): HTMLElement {
  return h('span', { class: `codicon codicon-${name}${extra ? ` ${extra}` : ''}`, 'aria-hidden': 'true' });
}

export interface ButtonOptions {
  id?: string;
  className?: string;
  /** Visible text; without it the button shows only its icon and `label` becomes its aria-label. */
  text?: string;
  /** Tooltip; defaults to the label. */
  title?: string;
  focusKey?: string;
  disabled?: boolean;
}

/** A button whose accessible name is `label` (the visible text when they are the same). */
export function button(label: string, iconName: string | undefined, onClick: () => void, options: ButtonOptions = {}): HTMLButtonElement {
  const element = h('button', {
    type: 'button',
    id: options.id,
    class: options.className,
    title: options.title ?? label,
    'aria-label': options.text && options.text === label ? undefined : label,
    'data-focus-key': options.focusKey,
    disabled: options.disabled,
  }, iconName ? icon(iconName) : undefined, options.text ? h('span', { class: 'button-text' }, options.text) : undefined);
  element.addEventListener('click', onClick);
  return element;
}

/** Re-renders `render` while keeping keyboard focus on the element with the same focus key. */
export function keepingFocus(render: () => void): void {
  const active = document.activeElement;
  const key = active instanceof HTMLElement ? active.dataset['focusKey'] : undefined;
  render();
  if (key) document.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(key)}"]`)?.focus();
}
