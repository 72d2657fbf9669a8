import { api, lawNames } from '../api.js';
import { type Child, facts, h } from '../dom.js';
import { date, dateTime, euro, eventLabel, lawName, outcomeLabel, roleLabel } from '../format.js';
import { go, type Page, type Route } from '../page.js';
import { type InclusionProof, fromBase64, parseCheckpoint, verifyCheckpointSignature, verifyInclusion } from '../proof.js';
import { can } from '../session.js';

interface Entry {
  readonly eventId: string;
  readonly type: string;
  readonly actor: string;
  readonly onBehalfOf?: string;
  readonly recordedAt: string;
  readonly doorbraakId?: string;
  readonly facts: Record<string, unknown>;
  readonly mandate?: { role: string; onBehalfOf: string; maxPerPlan: string; inForceOnDecisionDate: boolean; validFrom: string };
  readonly logPosition: string;
  readonly logIndex: number | null;
  readonly proof: string | null;
}

type Facts = Record<string, unknown>;
const str = (value: unknown) => (typeof value === 'string' ? value : '');
const citations = (items: unknown) => ((items as { citation: string }[] | undefined) ?? []).map((i) => i.citation).join('; ');

/** The facts that matter to the question "why was this exception granted", per kind of event. */
function summary(entry: Entry, laws: Readonly<Record<string, string>>): Child {
  const f: Facts = entry.facts;
  switch (entry.type) {
    case 'PlanDrafted':
      return `${str(f['title'])}, opgesteld ${date(str(f['draftedOn']))}`;
    case 'DoorbraakDefined':
      return `${str(f['title'])} (${str(f['interventionType'])})`;
    case 'LegitimiteitRecorded': {
      const rules = (f['rules'] as { citation: string; purpose: string }[] | undefined) ?? [];
      const grounds = (f['exceptionGrounds'] as { citation: string; applies: boolean }[] | undefined) ?? [];
      return facts([
        ['Blokkerende regel', rules.map((r) => `${r.citation}: ${r.purpose}`).join(' · ')],
        ['Uitzonderingsgronden', grounds.map((g) => `${g.citation} (${g.applies ? 'van toepassing' : 'niet van toepassing'})`).join('; ') || 'geen'],
        ['Andere regels', citations(f['otherRules']) || undefined],
      ]);
    }
    case 'ProfessionalOpinionRecorded':
      return `${str(f['role'])} (${str(f['organisation'])}): ${str(f['position'])}`;
    case 'CostLineAdded':
    case 'CostLineCorrected':
      return `${str(f['description'])}: ${euro(str(f['unitPrice']))}${f['unit'] ? ` per ${str(f['unit'])}` : ''} (${lawName(laws, str(f['fundingSource']))})`;
    case 'PlanSubmittedForDecision':
      return `door ${str(f['submittedBy'])} op ${date(str(f['submittedOn']))}, gevraagd ${euro(str(f['requestedAmount']))}`;
    case 'PlanEscalated':
      return `van ${str(f['from'])} naar ${str(f['to'])} op ${date(str(f['escalatedOn']))}: ${str(f['reason'])}`;
    case 'PlanDecided': {
      const maker = f['decisionMaker'] as { actorId: string; role: string };
      return facts([
        ['Besluit', `${outcomeLabel[str(f['outcome'])] ?? str(f['outcome'])} op ${date(str(f['decidedOn']))}, ${euro(str(f['approvedAmount']))}`],
        ['Besluitnemer', `${maker.actorId} (${roleLabel[maker.role] ?? maker.role})`],
        ['Namens', str(f['onBehalfOf'])],
        ['Mandaat', entry.mandate ? `${roleLabel[entry.mandate.role] ?? entry.mandate.role}, tot ${euro(entry.mandate.maxPerPlan)} per plan, ${entry.mandate.inForceOnDecisionDate ? 'van kracht op de besluitdatum' : 'NIET van kracht op de besluitdatum'}` : str(f['mandateId'])],
        ['Grondslag', ((f['legalBasis'] as string[]) ?? []).join('; ')],
        ['Motivering', str(f['motivation'])],
      ]);
    }
    default:
      return null;
  }
}

/** Fetches the inclusion proof and checks it here, in the browser, against the signed checkpoint. */
async function checkProof(entry: Entry, vkey: string | null, output: HTMLElement): Promise<void> {
  output.textContent = 'Bezig met controleren…';
  const proof = await api<InclusionProof>('GET', entry.proof!);
  const lines: string[] = [`Positie ${proof.logIndex} in een boom van ${proof.treeSize} gebeurtenissen, ${proof.proof.length} hashes in het bewijs.`];
  if (!proof.checkpoint) {
    output.className = 'proof proof-bad';
    output.textContent = `${lines[0]} Er is nog geen ondertekend checkpoint van deze omvang: het bewijs kan nog niet worden gecontroleerd.`;
    return;
  }
  const checkpoint = parseCheckpoint(proof.checkpoint);
  const inclusion = checkpoint.size === proof.treeSize
    ? await verifyInclusion(proof.logIndex, proof.treeSize, fromBase64(proof.leafHash), proof.proof.map(fromBase64), checkpoint.root)
    : { ok: false as const, reason: `the checkpoint covers ${checkpoint.size} events, the proof ${proof.treeSize}` };
  const signature = vkey ? await verifyCheckpointSignature(checkpoint, vkey) : { ok: false as const, reason: 'no verifier key' };
  lines.push(inclusion.ok ? 'Het bewijs leidt tot de root van het checkpoint: de gebeurtenis staat in de log.' : `Het bewijs klopt NIET: ${inclusion.reason}.`);
  lines.push(signature.ok ? `Het checkpoint is ondertekend door ${checkpoint.signatures[0]?.name ?? ''} (sleutel ${vkey!.split('+')[1]}).` : `De handtekening is niet bevestigd: ${signature.reason}.`);
  output.className = `proof ${inclusion.ok ? 'proof-ok' : 'proof-bad'}`;
  output.replaceChildren(h('strong', null, inclusion.ok ? 'Bewijs geldig. ' : 'Bewijs ongeldig. '), lines.join(' '));
}

/** The timeline of a plan (or one doorbraak) from blocking rule to decision; every event's proof can be checked. */
export async function auditPage({ params: [planId], query }: Route): Promise<Page> {
  const doorbraakId = query.get('doorbraak');
  const [trail, log, laws] = await Promise.all([
    api<{ planId: string; entries: Entry[] }>('GET', `/v1/plans/${planId}/audit-trail${doorbraakId ? `?doorbraakId=${doorbraakId}` : ''}`),
    can('log:read') ? api<{ size: number; latestCheckpoint: string | null; vkey: string | null }>('GET', '/v1/log') : Promise.resolve(null),
    lawNames(),
  ]);
  const drafted = trail.entries.find((e) => e.type === 'PlanDrafted');
  const doorbraken = trail.entries.filter((e) => e.type === 'DoorbraakDefined');
  const latest = log?.latestCheckpoint ? parseCheckpoint(log.latestCheckpoint) : null;
  const sign = h('button', {
    type: 'button',
    class: 'secondary',
    onclick: async () => {
      await api('POST', '/v1/log/checkpoints', { reason: `audit of plan ${planId}` });
      go(location.hash, 'Er is een nieuw checkpoint ondertekend.');
    },
  }, 'Checkpoint ondertekenen');
  return {
    title: `Audit trail: ${str(drafted?.facts['title']) || planId}`,
    content: h(
      'div',
      { class: 'audit' },
      h(
        'div',
        { class: 'no-print' },
        doorbraken.length > 1 || doorbraakId
          ? h('nav', { 'aria-label': 'Per doorbraak' }, h('ul', { class: 'actions' }, h('li', null, h('a', { href: `#/plannen/${planId}/audit`, 'aria-current': doorbraakId ? null : 'page' }, 'Hele plan')), doorbraken.map((d) => h('li', null, h('a', { href: `#/plannen/${planId}/audit?doorbraak=${str(d.facts['doorbraakId'])}`, 'aria-current': doorbraakId === d.facts['doorbraakId'] ? 'page' : null }, str(d.facts['title'])))))) 
          : null,
        h('ul', { class: 'actions' }, h('li', null, h('button', { type: 'button', class: 'secondary', onclick: () => window.print() }, 'Afdrukken')), can('log:checkpoint') ? h('li', null, sign) : null),
      ),
      facts([
        ['Plan', planId],
        ['Gebeurtenissen', String(trail.entries.length)],
        ['Laatste checkpoint', latest ? `${latest.size} gebeurtenissen in de log ${latest.origin}` : 'nog geen ondertekend checkpoint'],
      ]),
      h(
        'ol',
        { class: 'timeline' },
        trail.entries.map((entry) => {
          const output = h('p', { class: 'proof', role: 'status' });
          return h(
            'li',
            { class: `entry entry-${entry.type}` },
            h('h2', null, eventLabel[entry.type] ?? entry.type),
            h('p', { class: 'meta' }, h('time', { datetime: entry.recordedAt }, dateTime(entry.recordedAt)), ` · door ${entry.actor}`, entry.onBehalfOf ? ` namens ${entry.onBehalfOf}` : '', ` · logpositie ${entry.logIndex ?? 'nog niet opgenomen'}`),
            summary(entry, laws),
            entry.proof && can('log:read')
              ? h('p', { class: 'no-print' }, h('button', { type: 'button', class: 'secondary', 'aria-label': `Bewijs controleren: ${eventLabel[entry.type] ?? entry.type}, ${dateTime(entry.recordedAt)}`, onclick: () => void checkProof(entry, log?.vkey ?? null, output).catch((e: Error) => (output.textContent = `Controle mislukt: ${e.message}`)) }, 'Bewijs controleren'))
              : null,
            output,
          );
        }),
      ),
    ),
  };
}
