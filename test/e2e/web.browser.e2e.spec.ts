import { demoDataset } from '@doorbraak/application';
import { generateSigningKey } from '@doorbraak/merkle';
import { FileWitnessStore, Witness, witnessServer, witnessVkey } from '@doorbraak/witness';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type Locator, type Page, chromium } from 'playwright-core';
import { type ApiHarness, startApi } from './ledger-harness';
import { buildWebPages } from './web-build';

const SCREENSHOTS = join(__dirname, '../../tmp/screenshots');
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * The web pages driven in Chromium against the API in-process: a professional drafts and submits a plan, a
 * directeur approves it, the professional books a spend, an auditor checks a proof in the audit trail, and an
 * accountant and an analyst read the money and the analytics. Every page is screenshotted and scanned by axe.
 */
jest.setTimeout(180_000);

describe('the web pages in a browser', () => {
  let api: ApiHarness;
  let webDir: string;
  let base: string;
  let browser: Browser;
  let planId = '';
  const demo = demoDataset();
  const budget = demo.budgets.find((b) => b.fundingSource === 'participatiewet')!;

  // A witness on loopback cosigns the checkpoints, so the audit page has a cosignature to check.
  const logKey = generateSigningKey('ledger.gm9001.test/doorbraak');
  const witnessKey = generateSigningKey('witness.gm0344.test');
  const witness = witnessServer(new Witness(witnessKey.name, witnessKey.privateKey, new Map([[logKey.name, logKey.vkey]]), new FileWitnessStore(join(mkdtempSync(join(tmpdir(), 'witness-')), 'state.json'))));

  beforeAll(async () => {
    webDir = buildWebPages();
    await new Promise<void>((resolve) => witness.listen(0, '127.0.0.1', resolve));
    const witnesses = [{ name: witnessKey.name, vkey: witnessVkey(witnessKey.name, witnessKey.privateKey), url: `http://127.0.0.1:${(witness.address() as AddressInfo).port}` }];
    const log = { LEDGER_LOG_ORIGIN: logKey.name, LEDGER_CHECKPOINT_KEY: logKey.privateKeyPem, LEDGER_WITNESSES: JSON.stringify(witnesses) };
    api = await startApi({ env: { LEDGER_WEB_DIR: webDir, LEDGER_RATE_LIMIT_PER_MINUTE: '1000000', ...log } });
    await api.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(api.app.getHttpServer().address() as AddressInfo).port}`;
    const imported = await api.app.inject({ method: 'POST', url: '/v1/imports', payload: demo as object, headers: await api.as({ roles: ['professional'] }) });
    expect(imported.json().summary).toMatchObject({ failed: 0 });
    rmSync(SCREENSHOTS, { recursive: true, force: true });
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    witness.close();
    rmSync(webDir, { recursive: true, force: true });
  });

  /** Every read model and the Merkle log have taken in all that was written (another person's tab has no read-your-writes). */
  async function settled(): Promise<void> {
    const head = await api.ledger.store.head();
    for (const projection of ['current_plans', 'audit_trail', 'cost_per_law', 'rechtmatigheid', 'plan_analytics']) await api.ledger.runtime.waitFor(projection, head);
    await api.ledger.log.waitFor(head);
  }

  const pageErrors = new WeakMap<Page, string[]>();
  async function open(): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    pageErrors.set(page, errors);
    page.on('pageerror', (error) => errors.push(error.message));
    return page;
  }

  /** Waits until the locator shows (with the text, when given): the page's answer to what the test did. */
  const see = (locator: Locator, text?: string | RegExp) => (text ? locator.filter({ hasText: text }) : locator).first().waitFor();
  const heading = (page: Page, text: string | RegExp) => see(page.getByRole('heading', { level: 1 }), text);

  async function logIn(role: string, sub = `${role}-1`): Promise<Page> {
    const page = await open();
    await page.goto(`${base}/`);
    await page.getByLabel('Rol', { exact: true }).selectOption(role);
    await page.getByLabel('Gebruikersnaam (pseudoniem)', { exact: true }).fill(sub);
    await page.getByRole('button', { name: 'Inloggen (ontwikkeling)' }).click();
    await page.locator('#menu a').first().waitFor();
    return page;
  }

  /** The page as it stands: loaded, screenshotted, and without WCAG 2.1 A/AA violations. */
  async function check(page: Page, name: string): Promise<void> {
    await page.locator('main:not([aria-busy]) h1').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
    await page.evaluate(AXE);
    const violations = await page.evaluate(async (tags) => {
      const result = await (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe.run(document, {
        runOnly: { type: 'tag', values: tags },
      });
      return result.violations.map((v) => ({ rule: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) }));
    }, WCAG_AA);
    expect({ page: name, violations, errors: pageErrors.get(page) }).toEqual({ page: name, violations: [], errors: [] });
  }

  /**
   * At a laptop's and a phone's width the page itself never scrolls sideways: a table wider than the screen
   * scrolls inside its own region, which is named and reachable by keyboard.
   */
  async function fitsWidths(page: Page, name: string): Promise<void> {
    for (const viewport of [{ width: 1366, height: 800 }, { width: 390, height: 844 }]) {
      await page.setViewportSize(viewport);
      await page.screenshot({ path: join(SCREENSHOTS, `${name}-${viewport.width}.png`), fullPage: true });
      const layout = await page.evaluate(() => ({
        scrolls: document.scrollingElement!.scrollWidth > document.scrollingElement!.clientWidth,
        regions: Array.from(document.querySelectorAll('table'))
          .map((table) => table.parentElement!)
          .filter((wrap) => wrap.scrollWidth > wrap.clientWidth)
          .map((wrap) => ({ role: wrap.getAttribute('role'), label: wrap.getAttribute('aria-label') === wrap.querySelector('caption')?.textContent, tabindex: wrap.getAttribute('tabindex'), overflow: getComputedStyle(wrap).overflowX })),
      }));
      expect({ page: name, width: viewport.width, ...layout }).toEqual({
        page: name,
        width: viewport.width,
        scrolls: false,
        regions: layout.regions.map(() => ({ role: 'region', label: true, tabindex: '0', overflow: 'auto' })),
      });
    }
  }

  const menu = async (page: Page) => page.locator('#menu ul a').allTextContents();

  it('logs a professional in with the development login, with a skip link to the content', async () => {
    const page = await open();
    await page.goto(`${base}/`);
    await check(page, '01-login');
    await page.keyboard.press('Tab');
    await expect(page.getByRole('link', { name: 'Naar de inhoud' }).evaluate((link) => link === document.activeElement)).resolves.toBe(true);
    await page.keyboard.press('Enter');
    await expect(page.locator('main').evaluate((main) => main === document.activeElement)).resolves.toBe(true);
    await page.close();

    const professional = await logIn('professional');
    await heading(professional, 'Plannen');
    expect(await menu(professional)).toEqual(['Plannen', 'Nieuw plan', 'Begrotingen']);
    // Lists name plans by label (the household's reference), never by their free-text title.
    await see(professional.getByRole('link', { name: 'Plan DEMO-01', exact: true }));
    await check(professional, '02-plans');
    await fitsWidths(professional, '02-plans');
    await professional.setViewportSize({ width: 1366, height: 800 });
    const plans = professional.getByRole('region', { name: /^\d+ plannen$/ });
    expect(await plans.evaluate((region) => region.scrollWidth - region.clientWidth)).toBe(0);
    await professional.goto(`${base}/#/geld`);
    await heading(professional, 'Geen toegang');
    await professional.close();
  });

  it('drafts a plan step by step, showing the validation messages next to the fields, and submits it', async () => {
    const page = await logIn('professional');
    await page.getByRole('link', { name: 'Nieuw plan', exact: true }).click();
    await page.getByLabel('Huishouden', { exact: true }).selectOption({ label: 'DEMO-01' });
    await page.getByLabel('Titel van het plan', { exact: true }).fill('Doorbraakplan Davey, tweede versie');
    await page.getByRole('button', { name: 'Plan opstellen' }).click();
    await page.getByLabel('Wat knelt er nu, wat is geprobeerd, wie zijn betrokken', { exact: true }).fill('Na de studiestart valt de huurtoeslag weg; de huur loopt achter.');
    await check(page, '03-editor-situatieschets');
    await page.getByRole('button', { name: 'Vastleggen' }).click();
    await heading(page, /2\. Toekomstperspectief/);
    planId = /#\/plannen\/([0-9a-f-]{36})\//.exec(page.url())![1]!;

    await page.getByRole('link', { name: '4. Doorbraken' }).click();
    await page.getByLabel('Wat moet er doorbroken worden', { exact: true }).fill('Bijstand doorbetalen tot de studiefinanciering start');
    await page.getByLabel('Soort interventie', { exact: true }).selectOption('inkomen');
    await page.getByLabel('Doelgroep', { exact: true }).selectOption('jongeren-18-27');
    await page.getByRole('button', { name: 'Doorbraak toevoegen' }).click();

    await heading(page, /5\. Waardendriehoek/);
    const rule = page.getByRole('group', { name: 'Regel 1' });
    await rule.getByLabel('Soort bron', { exact: true }).selectOption('wet');
    await rule.getByLabel('Vindplaats', { exact: true }).fill('Participatiewet art. 41 lid 4');
    await rule.getByLabel('Wet', { exact: true }).selectOption('participatiewet');
    await rule.getByLabel('Wat de regel zegt', { exact: true }).fill('Jongeren onder 27 zoeken eerst vier weken naar werk of opleiding.');
    await rule.getByLabel('Bedoeling van de regel', { exact: true }).fill('Werk en school gaan voor een uitkering.');
    await page.getByRole('button', { name: 'Uitzonderingsgrond toevoegen' }).click();
    const ground = page.getByRole('group', { name: 'Uitzonderingsgrond 1' });
    await ground.getByLabel('Vindplaats', { exact: true }).fill('Participatiewet art. 18 lid 1');
    await ground.getByLabel('Omschrijving', { exact: true }).fill('Bijstand afstemmen op de omstandigheden.');
    await ground.getByLabel('Is van toepassing', { exact: true }).check();
    await ground.getByLabel('Toelichting', { exact: true }).fill('Hij zocht al vanuit detentie.');
    await page.getByLabel('Wie gaat erover (orgaan)', { exact: true }).fill('college van B&W');
    await page.getByLabel('Wie beslist (rol)', { exact: true }).fill('directeur');
    await check(page, '04-editor-waardendriehoek');
    await page.locator('#legitimiteit').getByRole('button', { name: 'Vastleggen' }).click();
    await see(page.getByRole('status').filter({ hasText: 'Opgeslagen.' }));

    await page.getByRole('link', { name: 'Rendement', exact: true }).click();
    await page.getByLabel('Omschrijving', { exact: true }).fill('Bijstand 21+, alleenstaand');
    await page.getByLabel('Eenheid', { exact: true }).selectOption('maand');
    await page.getByLabel('Prijs per eenheid in euro', { exact: true }).fill('twaalf');
    await page.getByLabel('Aantal in het huidige scenario', { exact: true }).fill('0');
    await page.getByLabel('Aantal in het dreigende scenario', { exact: true }).fill('0');
    await page.getByLabel('Aantal in het doorbraakscenario', { exact: true }).fill('1');
    await page.getByLabel('Wet of budget dat betaalt', { exact: true }).selectOption('participatiewet');
    await page.getByLabel('Prijsbron', { exact: true }).fill('Uitkeringsbedragen');
    await page.getByRole('button', { name: 'Kostenregel toevoegen' }).click();
    await see(page.locator('[data-field="#/unitPrice"] .field-error'), /must be an amount in euros/);
    await see(page.locator('[data-pointer="#/unitPrice"][aria-invalid="true"]'));
    await see(page.getByRole('alert'), 'Prijs per eenheid in euro');
    await check(page, '05-editor-validation');
    await page.getByLabel('Prijs per eenheid in euro', { exact: true }).fill('1052,32');
    await page.getByRole('button', { name: 'Kostenregel toevoegen' }).click();
    await see(page.getByRole('table', { name: 'Kostenregels per scenario' }), 'Bijstand 21+, alleenstaand');

    await page.getByRole('link', { name: 'Indienen' }).click();
    expect(await page.getByLabel('Gevraagd bedrag in euro', { exact: true }).inputValue()).toBe('1052.32');
    await page.getByRole('button', { name: 'Ter besluitvorming indienen' }).click();
    await see(page.getByText('Het plan is ter besluitvorming ingediend.'));
    await see(page.locator('.status').first(), 'Ter besluitvorming');
    await page.close();
  });

  it('lets a directeur decide from the inbox: grounds, costs, comparable exceptions and the mandate', async () => {
    await settled();
    const page = await logIn('directeur');
    expect(await menu(page)).toEqual(['Plannen', 'Beslissingen', 'Geld', 'Begrotingen', 'Analyse']);
    await page.getByRole('link', { name: 'Beslissingen' }).click();
    await check(page, '06-inbox');
    await page.getByRole('link', { name: 'Plan DEMO-01', exact: true }).click();
    await heading(page, 'Besluit: Doorbraakplan Davey, tweede versie');
    await see(page.getByRole('table', { name: 'Eerdere uitzonderingen op Participatiewet art. 41 lid 4' }), 'Plan DEMO-01, doorbraak 1 — inkomen');
    await see(page.getByRole('table', { name: 'Uw mandaten die nu gelden' }), 'college van burgemeester en wethouders van Demodorp');
    expect(await page.getByLabel('Grondslag', { exact: true }).inputValue()).toBe('Participatiewet art. 18 lid 1');
    await page.getByLabel('Besluit', { exact: true }).selectOption('approved');
    await page.getByLabel('Motivering', { exact: true }).fill('De zoektermijn is al doorlopen; zonder inkomen dreigt huurachterstand.');
    await check(page, '07-decision');
    await page.getByRole('button', { name: 'Besluit vastleggen' }).click();
    await see(page.getByText('Het besluit is vastgelegd.'));
    await see(page.locator('.status').first(), 'Goedgekeurd');
    await page.close();
  });

  it('lets the professional book a spend under the decision and shows the budget’s headroom', async () => {
    const page = await logIn('professional');
    await page.goto(`${base}/#/plannen/${planId}`);
    await page.getByLabel('Begroting', { exact: true }).selectOption(budget.budgetId);
    await page.getByLabel('Bedrag in euro', { exact: true }).fill('1052,32');
    await page.getByLabel('Betalen aan (organisatie)', { exact: true }).fill('Gemeente Demodorp, uitkeringsadministratie');
    await page.getByLabel('Waarom de voorliggende voorziening niet volstaat', { exact: true }).fill('Bijstand is zelf de voorliggende voorziening.');
    await check(page, '08-plan');
    await fitsWidths(page, '08-plan');
    await page.getByRole('button', { name: 'Uitgave boeken' }).click();
    await heading(page, budget.name);
    await see(page.getByRole('table', { name: /uitgaven$/ }), 'Gemeente Demodorp, uitkeringsadministratie');
    await check(page, '09-budget');
    await page.getByRole('link', { name: 'Alle begrotingen' }).click();
    await see(page.getByRole('table', { name: 'Begrotingen van de gemeente' }).getByRole('row', { name: budget.name }), 'Participatiewet (algemene bijstand) (participatiewet)');
    await check(page, '09-budgets');
    await page.close();
  });

  it('lets an auditor check an event’s inclusion proof against a signed checkpoint in the page', async () => {
    await settled();
    const page = await logIn('auditor');
    await page.goto(`${base}/#/plannen/${planId}/audit`);
    await page.getByRole('button', { name: 'Checkpoint ondertekenen' }).click();
    await see(page.getByText('Er is een nieuw checkpoint ondertekend.'));
    // The witness was asked when the checkpoint was signed; this waits for its answer.
    await api.ledger.witnesses.collect();
    const decided = page.locator('.entry-PlanDecided');
    await see(decided, 'directeur-1 (Directeur)');
    await see(decided, /per plan, van kracht op de besluitdatum/);
    await see(page.locator('.entry-CostLineAdded'), 'per maand (Participatiewet (algemene bijstand) (participatiewet))');
    await decided.getByRole('button', { name: /^Bewijs controleren/ }).click();
    await see(decided.getByRole('status'), 'Bewijs geldig.');
    await see(decided.getByRole('status'), 'Het checkpoint is ondertekend door');
    await see(decided.getByRole('status'), 'Getuigen: medeondertekend door witness.gm0344.test.');
    await check(page, '10-audit-trail');
    await fitsWidths(page, '10-audit-trail');
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: join(SCREENSHOTS, '11-audit-trail-print.png'), fullPage: true });
    await page.getByRole('button', { name: 'Afdrukken' }).waitFor({ state: 'hidden' });
    await page.close();
  });

  it('shows an accountant the per-law table, planned against actual, down to the events', async () => {
    const page = await logIn('accountant');
    expect(await menu(page)).toEqual(['Geld', 'Begrotingen']);
    const row = page.getByRole('table', { name: /per wet of budget$/ }).getByRole('row', { name: /^Participatiewet \(algemene bijstand\) \(participatiewet\)/ });
    await see(row, '€');
    await see(page.getByRole('table', { name: /per wet of budget$/ }).getByRole('rowheader', { name: 'Wet gemeentelijke schuldhulpverlening (wgs)', exact: true }));
    await page.getByRole('link', { name: /(bron|bronnen) van Participatiewet \(algemene bijstand\) \(participatiewet\)$/ }).click();
    await see(page.getByRole('heading', { level: 2 }), 'Herkomst: Wet of budget Participatiewet (algemene bijstand) (participatiewet)');
    await see(page.getByRole('table', { name: /kostenregels en uitgaven$/ }), 'SpendCommitted');
    await see(page.getByRole('table', { name: 'Bevindingen per boekjaar en criterium' }), 'R-19');
    await check(page, '12-money');
    await fitsWidths(page, '12-money');
    await page.close();
  });

  it('shows an analyst lead times, intervention use and outcomes, and nothing else', async () => {
    const page = await logIn('analyst');
    expect(await menu(page)).toEqual(['Analyse']);
    await see(page.getByRole('img', { name: 'Doorbraken per maand naar soort interventie' }));
    await see(page.getByText('90e percentiel'));
    await check(page, '13-analytics');
    await page.close();
  });
});
