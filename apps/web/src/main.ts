import { ApiProblem } from './api.js';
import { h, notice } from './dom.js';
import { roleLabel } from './format.js';
import { type Page, type Route, takeFlash } from './page.js';
import { analyticsPage } from './pages/analytics.js';
import { auditPage } from './pages/audit.js';
import { budgetPage } from './pages/budget.js';
import { editorPage } from './pages/editor.js';
import { decisionPage, inboxPage } from './pages/inbox.js';
import { loginPage } from './pages/login.js';
import { moneyPage } from './pages/money.js';
import { planPage } from './pages/plan.js';
import { plansPage } from './pages/plans.js';
import { can, claims, logOut } from './session.js';

interface RouteSpec {
  readonly path: RegExp;
  readonly needs?: string;
  readonly render: (route: Route) => Promise<Page>;
  /** The menu entry for roles with `needs`. */
  readonly menu?: readonly [label: string, hash: string];
}

const routes: readonly RouteSpec[] = [
  { path: /^\/plannen$/, needs: 'case:read', render: plansPage, menu: ['Plannen', '#/plannen'] },
  { path: /^\/nieuw-plan$/, needs: 'case:write', render: editorPage, menu: ['Nieuw plan', '#/nieuw-plan'] },
  { path: /^\/plannen\/([0-9a-f-]{36})$/, needs: 'case:read', render: planPage },
  { path: /^\/plannen\/([0-9a-f-]{36})\/bewerken$/, needs: 'case:write', render: editorPage },
  { path: /^\/plannen\/([0-9a-f-]{36})\/audit$/, needs: 'audit:read', render: auditPage },
  { path: /^\/beslissingen$/, needs: 'plan:decide', render: inboxPage, menu: ['Beslissingen', '#/beslissingen'] },
  { path: /^\/beslissingen\/([0-9a-f-]{36})$/, needs: 'plan:decide', render: decisionPage },
  { path: /^\/geld$/, needs: 'finance:read', render: moneyPage, menu: ['Geld', '#/geld'] },
  { path: /^\/begrotingen$/, needs: 'budget:read', render: budgetPage, menu: ['Begrotingen', '#/begrotingen'] },
  { path: /^\/begrotingen\/([0-9a-f-]{36})$/, needs: 'budget:read', render: budgetPage },
  { path: /^\/analyse$/, needs: 'analytics:read', render: analyticsPage, menu: ['Analyse', '#/analyse'] },
];

const main = document.getElementById('inhoud')!;
/** Focus moves to the new page's heading after navigation; on the first load it stays put, so Tab reaches the skip link. */
let navigated = false;

function header(): void {
  const who = claims();
  const nav = document.getElementById('menu')!;
  const current = location.hash.split('?')[0];
  nav.replaceChildren(
    ...(who
      ? [
          h(
            'ul',
            null,
            routes
              .filter((r) => r.menu && can(r.needs!))
              .map((r) => h('li', null, h('a', { href: r.menu![1], 'aria-current': current?.startsWith(r.menu![1]) ? 'page' : null }, r.menu![0]))),
          ),
          h(
            'p',
            { class: 'who' },
            `${who.sub} · ${who.roles.map((r) => roleLabel[r] ?? r).join(', ')} · ${who.municipality} `,
            h('button', { type: 'button', class: 'secondary', onclick: () => (logOut(), (location.hash = '#/inloggen')) }, 'Uitloggen'),
          ),
        ]
      : []),
  );
}

async function render(): Promise<void> {
  const [path = '/', query = ''] = location.hash.replace(/^#/, '').split('?');
  const who = claims();
  if (!who && path !== '/inloggen') {
    location.hash = '#/inloggen';
    return;
  }
  const home = routes.find((r) => r.menu && can(r.needs!));
  if (path === '/' && home) {
    location.hash = home.menu![1];
    return;
  }
  header();
  main.setAttribute('aria-busy', 'true');
  let page: Page;
  try {
    const match = routes.map((r) => ({ r, m: r.path.exec(path) })).find(({ m }) => m);
    if (path === '/inloggen') page = await loginPage();
    else if (!match) page = { title: 'Pagina niet gevonden', content: h('p', null, 'Deze pagina bestaat niet. Kies een onderdeel in het menu.') };
    else if (match.r.needs && !can(match.r.needs)) page = { title: 'Geen toegang', content: h('p', null, 'Uw rol geeft geen toegang tot deze pagina.') };
    else page = await match.r.render({ params: match.m!.slice(1), query: new URLSearchParams(query) });
  } catch (error) {
    const message = error instanceof ApiProblem ? `${error.title} (${error.status})` : String((error as Error)?.message ?? error);
    page = { title: 'Er ging iets mis', content: notice('alert', `De gegevens konden niet worden geladen: ${message}`) };
  }
  const heading = h('h1', { tabindex: -1 }, page.title);
  const flash = takeFlash();
  main.replaceChildren(heading, flash ? notice('status', flash) : '', page.content);
  main.removeAttribute('aria-busy');
  document.title = `${page.title} · Doorbraak Ledger`;
  if (navigated) heading.focus();
  navigated = true;
}

document.getElementById('skip-link')!.addEventListener('click', (event) => {
  event.preventDefault();
  main.focus();
});
window.addEventListener('hashchange', () => void render());
void render();
