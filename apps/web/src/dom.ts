/** A tiny hyperscript: elements from tag, attributes and children; text always goes in as text nodes. */
export type Child = Node | string | number | false | null | undefined | readonly Child[];
export type Attrs = Record<string, string | number | boolean | null | undefined | ((event: Event) => void)>;

function apply(element: Element, attrs: Attrs | null | undefined, children: readonly Child[]): void {
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, '');
    else if (value !== false && value !== null && value !== undefined) element.setAttribute(name, String(value));
  }
  const append = (child: Child): void => {
    if (Array.isArray(child)) (child as readonly Child[]).forEach(append);
    else if (child instanceof Node) element.append(child);
    else if (child !== false && child !== null && child !== undefined) element.append(String(child));
  };
  children.forEach(append);
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  apply(element, attrs, children);
  return element;
}

export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): SVGElementTagNameMap[K] {
  const element = document.createElementNS('http://www.w3.org/2000/svg', tag);
  apply(element, attrs, children);
  return element;
}

/** A table with a caption and header row; `rows` are cells already formatted. */
export function table(caption: string, headers: readonly string[], rows: readonly (readonly Child[])[], attrs?: Attrs): HTMLElement {
  // A scrollable region must be reachable by keyboard: the wrapper is focusable and named by the caption.
  return h(
    'div',
    { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': caption },
    h(
      'table',
      attrs,
      h('caption', null, caption),
      h('thead', null, h('tr', null, headers.map((header) => h('th', { scope: 'col' }, header)))),
      h('tbody', null, rows.map((cells) => h('tr', null, cells.map((cell, i) => (i === 0 ? h('th', { scope: 'row' }, cell) : h('td', null, cell)))))),
    ),
  );
}

/** A term/description list from pairs; empty values are left out. */
export function facts(pairs: readonly (readonly [string, Child])[]): HTMLElement {
  return h(
    'dl',
    { class: 'facts' },
    pairs.filter(([, value]) => value !== undefined && value !== null && value !== '').map(([term, value]) => h('div', null, h('dt', null, term), h('dd', null, value))),
  );
}

/** A message in a live region: `status` for news, `alert` for errors. */
export function notice(kind: 'status' | 'alert', ...children: Child[]): HTMLElement {
  return h('div', { class: `notice notice-${kind === 'alert' ? 'error' : 'ok'}`, role: kind }, ...children);
}
