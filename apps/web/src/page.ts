/** What a page renders: its title (for the h1 and the document title) and its content. */
export interface Page {
  readonly title: string;
  readonly content: Node;
}

/** The route parameters and query of the current address (`#/plannen/<id>?stap=…`). */
export interface Route {
  readonly params: readonly string[];
  readonly query: URLSearchParams;
}

const FLASH = 'ledger.flash';

/** Navigates; `flash` is said on the next page (what was just saved). */
export function go(hash: string, flash?: string): void {
  if (flash) sessionStorage.setItem(FLASH, flash);
  if (location.hash === hash) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = hash;
}

export function takeFlash(): string | null {
  const flash = sessionStorage.getItem(FLASH);
  sessionStorage.removeItem(FLASH);
  return flash;
}
