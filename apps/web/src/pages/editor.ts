import { api, enumOf } from '../api.js';
import { h, table } from '../dom.js';
import { type Field, form, options } from '../forms.js';
import { euro, freeText, nameOf, statusLabel, today } from '../format.js';
import { go, type Page, type Route } from '../page.js';
import { type PlanView, type Recorded, asWritten, latestRecord } from '../plan-view.js';
import { claims } from '../session.js';
import { costSection } from './plan.js';
import type { PlanRow } from './plans.js';

const STEPS = [
  ['situatieschets', '1. Situatieschets'],
  ['toekomstperspectief', '2. Toekomstperspectief'],
  ['overzicht', '3. Overzicht'],
  ['doorbraken', '4. Doorbraken'],
  ['waardendriehoek', '5. Waardendriehoek'],
  ['rendement', 'Rendement'],
  ['actieplan', '6. Actieplan'],
  ['indienen', 'Indienen'],
] as const;
type Step = (typeof STEPS)[number][0];

const post = (plan: PlanView, path: string, body: unknown) => api('POST', `/v1/plans/${plan.planId}/${path}`, body);

/** Back to this step with the plan as it now stands, saying what was saved. */
const reload = (plan: PlanView, step: Step, extra = '') => go(`#/plannen/${plan.planId}/bewerken?stap=${step}${extra}`, 'Opgeslagen.');

/**
 * A form for a recorded step: filled with what is on record, and then sent as a correction of that record with
 * its reason (nothing is overwritten).
 */
function recordForm(plan: PlanView, id: string, path: string, [step, extra]: [Step, string?], record: Recorded<unknown> | null | undefined, fields: Field[]): HTMLElement {
  const corrects = latestRecord(record);
  return form({
    id,
    fields: corrects ? [...fields, { kind: 'textarea', name: 'correction.reason', label: 'Reden van de correctie', hint: 'De vorige versie blijft bewaard; de correctie verwijst ernaar.' }] : fields,
    submit: corrects ? 'Correctie vastleggen' : 'Vastleggen',
    onSubmit: async (body) => {
      const correction = body['correction'] as Record<string, unknown> | undefined;
      await post(plan, path, corrects ? { ...body, correction: { ...correction, corrects } } : body);
      reload(plan, step, extra);
    },
  });
}

async function newPlan(query: URLSearchParams): Promise<Page> {
  const who = claims()!;
  const { items } = await api<{ items: PlanRow[] }>('GET', '/v1/plans?limit=500');
  const households = new Map(items.map((p) => [p.householdId, p.householdReference ?? p.householdId]));
  const opened = query.get('huishouden');
  if (opened) households.set(opened, query.get('referentie') ?? opened);
  const planForm = form({
    id: 'draft-plan',
    fields: [
      { kind: 'select', name: 'householdId', label: 'Huishouden', options: [...households].sort((a, b) => a[1].localeCompare(b[1])), value: opened ?? undefined },
      { kind: 'text', name: 'title', label: 'Titel van het plan', hint: 'Bijvoorbeeld: Doorbraakplan familie J.' },
      { kind: 'date', name: 'draftedOn', label: 'Datum', value: today() },
    ],
    submit: 'Plan opstellen',
    onSubmit: async (body) => {
      const { planId } = await api<{ planId: string }>('POST', '/v1/plans', body);
      go(`#/plannen/${planId}/bewerken?stap=situatieschets`, 'Het plan is opgesteld. Leg nu de situatieschets vast.');
    },
  });
  const householdForm = form({
    id: 'open-household',
    fields: [
      { kind: 'text', name: 'reference', label: 'Referentie (pseudoniem)', hint: 'Letters, cijfers en streepjes; nooit een BSN of naam.' },
      { kind: 'date', name: 'openedOn', label: 'Geopend op', value: today() },
      { kind: 'text', name: 'regisseur.professionalId', label: 'Regisseur', value: who.sub },
      { kind: 'text', name: 'regisseur.role', label: 'Rol van de regisseur', value: 'regisseur' },
      { kind: 'text', name: 'personal.alias', label: 'Roepnaam of alias (optioneel)' },
    ],
    submit: 'Huishouden openen',
    onSubmit: async (body) => {
      const { householdId } = await api<{ householdId: string }>('POST', '/v1/households', body);
      go(`#/nieuw-plan?huishouden=${householdId}&referentie=${encodeURIComponent(String(body['reference']))}`, 'Het huishouden is geopend.');
    },
  });
  return {
    title: 'Nieuw plan',
    content: h(
      'div',
      { class: 'columns' },
      h('section', { class: 'card', 'aria-labelledby': 'plan-title' }, h('h2', { id: 'plan-title' }, 'Plan opstellen'), planForm),
      h('section', { class: 'card', 'aria-labelledby': 'household-title' }, h('h2', { id: 'household-title' }, 'Of eerst een nieuw huishouden openen'), householdForm),
    ),
  };
}

async function stepContent(plan: PlanView, step: Step, query: URLSearchParams): Promise<HTMLElement> {
  const s = plan.steps;
  switch (step) {
    case 'situatieschets':
      return recordForm(plan, 'situatieschets', 'situatieschets', ['toekomstperspectief'], s.situatieschets, [
        { kind: 'textarea', name: 'personal.narrative', label: 'Wat knelt er nu, wat is geprobeerd, wie zijn betrokken', value: s.situatieschets?.current.personal['narrative'] as string },
        { kind: 'group', name: 'involved', label: 'Betrokken organisaties', item: 'Betrokkene', min: 0, value: asWritten(s.situatieschets?.current.involved), fields: [{ kind: 'text', name: 'organisation', label: 'Organisatie' }, { kind: 'text', name: 'role', label: 'Rol' }] },
      ]);
    case 'toekomstperspectief':
      return recordForm(plan, 'toekomstperspectief', 'toekomstperspectief', ['overzicht'], s.toekomstperspectief, [
        { kind: 'integer', name: 'horizonMonths', label: 'Horizon in maanden', hint: 'Zes maanden tot vier jaar.', value: s.toekomstperspectief?.current.horizonMonths },
        {
          kind: 'group',
          name: 'personal.goals',
          label: 'Doelen',
          item: 'Doel',
          min: 1,
          value: s.toekomstperspectief?.current.personal['goals'] as Record<string, unknown>[] | undefined,
          fields: [
            { kind: 'select', name: 'term', label: 'Termijn', options: [['short', 'Korte termijn'], ['long', 'Lange termijn']] },
            { kind: 'text', name: 'member', label: 'Gezinslid (optioneel)' },
            { kind: 'textarea', name: 'text', label: 'Doel' },
          ],
        },
      ]);
    case 'overzicht': {
      const personal = s.overzicht?.current.personal as Record<string, string[]> | undefined;
      const hint = 'Eén punt per regel.';
      return recordForm(plan, 'overzicht', 'overzicht', ['doorbraken'], s.overzicht, [
        { kind: 'lines', name: 'personal.self', label: 'A. Wat het huishouden zelf doet', hint, value: personal?.['self'] },
        { kind: 'lines', name: 'personal.support', label: 'B. Waar blijvende ondersteuning nodig is', hint, value: personal?.['support'] },
        { kind: 'lines', name: 'personal.solve', label: 'C. Wat eenmalig opgelost of behandeld moet worden', hint, value: personal?.['solve'] },
      ]);
    }
    case 'doorbraken': {
      const [types, groups] = await Promise.all([enumOf('/v1/plans/{planId}/doorbraken', 'interventionType'), enumOf('/v1/plans/{planId}/doorbraken', 'targetGroup')]);
      return h(
        'div',
        null,
        plan.doorbraken.length ? h('ul', null, plan.doorbraken.map((d) => h('li', null, `${nameOf(d)} (${d.interventionType}, ${d.targetGroup})`))) : h('p', null, 'Nog geen doorbraak benoemd.'),
        h('h3', null, 'Doorbraak toevoegen'),
        form({
          id: 'doorbraak',
          fields: [
            { kind: 'text', name: 'title', label: 'Wat moet er doorbroken worden' },
            { kind: 'select', name: 'interventionType', label: 'Soort interventie', options: options(types) },
            { kind: 'select', name: 'targetGroup', label: 'Doelgroep', options: options(groups) },
          ],
          submit: 'Doorbraak toevoegen',
          onSubmit: async (body) => {
            await post(plan, 'doorbraken', body);
            reload(plan, 'waardendriehoek');
          },
        }),
      );
    }
    case 'waardendriehoek': {
      const doorbraak = plan.doorbraken.find((d) => d.doorbraakId === query.get('doorbraak')) ?? plan.doorbraken[0];
      if (!doorbraak) return h('p', null, 'Benoem eerst een doorbraak.');
      const [kinds, laws] = await Promise.all([
        enumOf('/v1/plans/{planId}/doorbraken/{doorbraakId}/legitimiteit', 'rules', '[]', 'sourceKind'),
        enumOf('/v1/plans/{planId}/doorbraken/{doorbraakId}/legitimiteit', 'rules', '[]', 'law'),
      ]);
      const base = `doorbraken/${doorbraak.doorbraakId}`;
      const legitimiteit = doorbraak.legitimiteit?.current;
      const here = `&doorbraak=${doorbraak.doorbraakId}`;
      const forms = {
        legitimiteit: recordForm(plan, 'legitimiteit', `${base}/legitimiteit`, ['waardendriehoek', here], doorbraak.legitimiteit, [
          {
            kind: 'group',
            name: 'rules',
            label: 'Blokkerende regels',
            item: 'Regel',
            min: 1,
            value: asWritten(legitimiteit?.rules),
            fields: [
              { kind: 'select', name: 'sourceKind', label: 'Soort bron', options: options(kinds) },
              { kind: 'text', name: 'citation', label: 'Vindplaats', hint: 'Bijvoorbeeld Participatiewet art. 41 lid 4.' },
              { kind: 'select', name: 'law', label: 'Wet', options: options(laws) },
              { kind: 'textarea', name: 'quotedText', label: 'Wat de regel zegt' },
              { kind: 'textarea', name: 'purpose', label: 'Bedoeling van de regel' },
            ],
          },
          {
            kind: 'group',
            name: 'exceptionGrounds',
            label: 'Uitzonderingsgronden',
            item: 'Uitzonderingsgrond',
            min: 0,
            value: asWritten(legitimiteit?.exceptionGrounds),
            fields: [
              { kind: 'text', name: 'citation', label: 'Vindplaats' },
              { kind: 'textarea', name: 'description', label: 'Omschrijving' },
              { kind: 'checkbox', name: 'applies', label: 'Is van toepassing' },
              { kind: 'textarea', name: 'explanation', label: 'Toelichting' },
            ],
          },
          {
            kind: 'group',
            name: 'otherRules',
            label: 'Andere regels',
            item: 'Andere regel',
            min: 0,
            value: asWritten(legitimiteit?.otherRules),
            fields: [
              { kind: 'text', name: 'citation', label: 'Vindplaats' },
              { kind: 'textarea', name: 'purpose', label: 'Bedoeling' },
              { kind: 'checkbox', name: 'supportsException', label: 'Steunt de uitzondering' },
            ],
          },
          { kind: 'text', name: 'decidingAuthority.body', label: 'Wie gaat erover (orgaan)', value: legitimiteit?.decidingAuthority.body },
          { kind: 'text', name: 'decidingAuthority.role', label: 'Wie beslist (rol)', value: legitimiteit?.decidingAuthority.role },
        ]),
        betrokkenheid: recordForm(plan, 'betrokkenheid', `${base}/betrokkenheid`, ['waardendriehoek', here], doorbraak.betrokkenheid, [
          { kind: 'textarea', name: 'personal.hypothesis', label: 'Hypothese: hoe raakt het huishouden meer betrokken', value: doorbraak.betrokkenheid?.current.personal['hypothesis'] as string },
          { kind: 'lines', name: 'personal.agreements', label: 'Afspraken in ruil', hint: 'Eén afspraak per regel.', value: doorbraak.betrokkenheid?.current.personal['agreements'] as string[] },
        ]),
        weging: recordForm(plan, 'weging', `${base}/weging`, ['rendement'], doorbraak.weging, [
          { kind: 'textarea', name: 'personal.text', label: 'Weging van legitimiteit, betrokkenheid en rendement', value: doorbraak.weging?.current.personal['text'] as string },
        ]),
      };
      return h(
        'div',
        null,
        plan.doorbraken.length > 1
          ? h('nav', { 'aria-label': 'Doorbraken' }, h('ul', null, plan.doorbraken.map((d) => h('li', null, h('a', { href: `#/plannen/${plan.planId}/bewerken?stap=waardendriehoek&doorbraak=${d.doorbraakId}`, 'aria-current': d === doorbraak ? 'true' : null }, nameOf(d))))))
          : null,
        h('h2', null, nameOf(doorbraak)),
        h('section', { 'aria-labelledby': 'legitimiteit-title' }, h('h3', { id: 'legitimiteit-title' }, 'Legitimiteit'), forms.legitimiteit),
        h('section', { 'aria-labelledby': 'betrokkenheid-title' }, h('h3', { id: 'betrokkenheid-title' }, 'Betrokkenheid'), forms.betrokkenheid),
        h('section', { 'aria-labelledby': 'weging-title' }, h('h3', { id: 'weging-title' }, 'Weging'), h('p', null, 'Het rendement staat bij de stap Rendement.'), forms.weging),
      );
    }
    case 'rendement': {
      const [units, laws] = await Promise.all([enumOf('/v1/plans/{planId}/cost-lines', 'unit'), enumOf('/v1/plans/{planId}/cost-lines', 'fundingSource')]);
      return h(
        'div',
        null,
        plan.rendement.costLines.length ? costSection(plan) : h('p', null, 'Nog geen kostenregels.'),
        h('h3', null, 'Periode'),
        form({
          id: 'period',
          fields: [{ kind: 'integer', name: 'periodMonths', label: 'Periode van de kostenanalyse in maanden', value: plan.rendement.periodMonths ?? 12 }],
          submit: 'Periode vastleggen',
          onSubmit: async (body) => {
            await post(plan, 'rendement-period', body);
            reload(plan, 'rendement');
          },
        }),
        h('h3', null, 'Kostenregel toevoegen'),
        form({
          id: 'cost-line',
          fields: [
            { kind: 'text', name: 'description', label: 'Omschrijving' },
            { kind: 'select', name: 'unit', label: 'Eenheid', options: options(units) },
            { kind: 'amount', name: 'unitPrice', label: 'Prijs per eenheid in euro', hint: 'Bijvoorbeeld 1052,32.' },
            { kind: 'quantity', name: 'quantities.huidig', label: 'Aantal in het huidige scenario' },
            { kind: 'quantity', name: 'quantities.dreigend', label: 'Aantal in het dreigende scenario' },
            { kind: 'quantity', name: 'quantities.doorbraak', label: 'Aantal in het doorbraakscenario' },
            { kind: 'select', name: 'fundingSource', label: 'Wet of budget dat betaalt', options: options(laws) },
            { kind: 'text', name: 'priceSource', label: 'Prijsbron', hint: 'Bijvoorbeeld Maatschappelijke prijslijst.' },
            { kind: 'text', name: 'priceListVersion', label: 'Versie van de prijslijst (optioneel)' },
            { kind: 'select', name: 'doorbraakId', label: 'Hoort bij doorbraak (optioneel)', options: plan.doorbraken.map((d) => [d.doorbraakId, nameOf(d)] as const) },
          ],
          submit: 'Kostenregel toevoegen',
          onSubmit: async (body) => {
            await post(plan, 'cost-lines', body);
            reload(plan, 'rendement');
          },
        }),
        h('h3', null, 'Dreigend scenario onderschrijven'),
        h('p', null, `Onderschreven door ${plan.rendement.endorsements.length} professional(s); de praktijk vraagt er minstens drie.`),
        form({
          id: 'endorsement',
          fields: [
            { kind: 'text', name: 'professionalId', label: 'Professional (id)' },
            { kind: 'text', name: 'role', label: 'Rol' },
            { kind: 'text', name: 'organisation', label: 'Organisatie' },
          ],
          submit: 'Onderschrijving vastleggen',
          onSubmit: async (body) => {
            await post(plan, 'endorsements', body);
            reload(plan, 'rendement');
          },
        }),
      );
    }
    case 'actieplan':
      return h(
        'div',
        null,
        plan.actions.length ? table('Geplande acties', ['Actie', 'Wie', 'Uiterlijk'], plan.actions.map((a) => [freeText(a, 'description'), a.owner.role, a.dueOn])) : null,
        h('h3', null, 'Actie plannen'),
        form({
          id: 'action',
          fields: [
            { kind: 'textarea', name: 'description', label: 'Wat' },
            { kind: 'text', name: 'owner.role', label: 'Wie (rol)' },
            { kind: 'text', name: 'owner.professionalId', label: 'Wie (id, optioneel)' },
            { kind: 'date', name: 'dueOn', label: 'Uiterlijk' },
            { kind: 'select', name: 'phase', label: 'Fase', options: [['before', 'Voor de doorbraak'], ['after', 'Na de doorbraak']], value: 'after' },
          ],
          submit: 'Actie plannen',
          onSubmit: async (body) => {
            await post(plan, 'actions', body);
            reload(plan, 'actieplan');
          },
        }),
        h('h3', null, 'Vangnet'),
        recordForm(plan, 'vangnet', 'vangnet', ['actieplan'], s.vangnet, [{ kind: 'textarea', name: 'personal.text', label: 'Plan B als het misgaat', value: s.vangnet?.current.personal['text'] as string }]),
        h('h3', null, 'Evaluatiemoment plannen'),
        form({
          id: 'evaluation',
          fields: [
            { kind: 'date', name: 'dueOn', label: 'Datum' },
            { kind: 'group', name: 'indicators', label: 'Indicatoren', item: 'Indicator', min: 1, fields: [{ kind: 'text', name: 'name', label: 'Indicator' }, { kind: 'text', name: 'stakeholder', label: 'Wie wil het zien' }] },
          ],
          submit: 'Evaluatie plannen',
          onSubmit: async (body) => {
            await post(plan, 'evaluations', body);
            reload(plan, 'actieplan');
          },
        }),
      );
    case 'indienen':
      return plan.status !== 'draft'
        ? h('p', null, `Het plan is ${statusLabel[plan.status]?.toLowerCase() ?? plan.status}.`)
        : form({
            id: 'submission',
            intro: h('p', null, `Kosten in het doorbraakscenario: ${euro(plan.rendement.exact.doorbraak)}.`),
            fields: [
              { kind: 'date', name: 'submittedOn', label: 'Datum van indienen', value: today() },
              { kind: 'amount', name: 'requestedAmount', label: 'Gevraagd bedrag in euro', value: plan.rendement.exact.doorbraak },
            ],
            submit: 'Ter besluitvorming indienen',
            onSubmit: async (body) => {
              await post(plan, 'submission', { ...body, submittedBy: claims()!.sub });
              go(`#/plannen/${plan.planId}`, 'Het plan is ter besluitvorming ingediend.');
            },
          });
  }
}

/** The step-by-step editor of a new plan, or of an existing one (additions and corrections). */
export async function editorPage({ params: [planId], query }: Route): Promise<Page> {
  if (!planId) return newPlan(query);
  const plan = await api<PlanView>('GET', `/v1/plans/${planId}`);
  const step = (STEPS.find(([key]) => key === query.get('stap'))?.[0] ?? 'situatieschets') as Step;
  const label = STEPS.find(([key]) => key === step)![1];
  return {
    title: `${nameOf(plan)}: ${label}`,
    content: h(
      'div',
      { class: 'editor' },
      h(
        'nav',
        { 'aria-label': 'Stappen van het plan', class: 'steps' },
        h('ol', null, STEPS.map(([key, name]) => h('li', null, h('a', { href: `#/plannen/${plan.planId}/bewerken?stap=${key}`, 'aria-current': key === step ? 'step' : null }, name)))),
        h('p', null, h('a', { href: `#/plannen/${plan.planId}` }, 'Naar het plan')),
      ),
      h('div', { class: 'step-content' }, await stepContent(plan, step, query)),
    ),
  };
}
