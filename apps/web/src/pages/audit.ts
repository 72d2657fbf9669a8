import { api, lawNames } from '../api.js';
import { type Child, facts, h } from '../dom.js';
import { date, dateTime, euro, eventLabel, lawName, outcomeLabel, roleLabel } from '../format.js';
import { go, type Page, type Route } from '../page.js';
import { type Checkpoint, type InclusionProof, fromBase64, parseCheckpoint, verifyCheckpointSignature, verifyCosignature, verifyInclusion } from '../proof.js';
import { can } from '../session.js';

interface Entry {
  readonly eventId: string;
  readonly type: string;
  readonly actor: string;
  readonly onBehalfOf?: string;
  readonly recordedAt: string;
  readonly doorbraakId?: string;
  /** The plan's or doorbraak's label (codes only): the trail holds no free text. */
  readonly label?: string;
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
      return `${str(entry.label)}, opgesteld ${date(str(f['draftedOn']))}`;
    case 'DoorbraakDefined':
      return `${str(entry.label)} (${str(f['targetGroup'])})`;
    case 'LegitimiteitRecorded': {
      const grounds = (f['exceptionGrounds'] as { citation: string; applies: boolean }[] | undefined) ?? [];
      return facts([
        ['Blokkerende regel', citations(f['rules'])],
        ['Uitzonderingsgronden', grounds.map((g) => `${g.citation} (${g.applies ? 'van toepassing' : 'niet van toepassing'})`).join('; ') || 'geen'],
        ['Andere regels', citations(f['otherRules']) || undefined],
      ]);
    }
    case 'ProfessionalOpinionRecorded':
      return `${str(f['role'])}: ${str(f['position'])}`;
    case 'CostLineAdded':
    case 'CostLineCorrected':
      return `${euro(str(f['unitPrice']))}${f['unit'] ? ` per ${str(f['unit'])}` : ''} (${lawName(laws, str(f['fundingSource']))})`;
    case 'PlanSubmittedForDecision':
      return `door ${str(f['submittedBy'])} op ${date(str(f['submittedOn']))}, gevraagd ${euro(str(f['requestedAmount']))}`;
    case 'PlanEscalated':
      return `van ${str(f['from'])} naar ${str(f['to'])} op ${date(str(f['escalatedOn']))}`;
    case 'PlanDecided': {
      const maker = f['decisionMaker'] as { actorId: string; role: string };
      return facts([
        ['Besluit', `${outcomeLabel[str(f['outcome'])] ?? str(f['outcome'])} op ${date(str(f['decidedOn']))}, ${euro(str(f['approvedAmount']))}`],
        ['Besluitnemer', `${maker.actorId} (${roleLabel[maker.role] ?? maker.role})`],
        ['Namens', str(f['onBehalfOf'])],
        ['Mandaat', entry.mandate ? `${roleLabel[entry.mandate.role] ?? entry.mandate.role}, tot ${euro(entry.mandate.maxPerPlan)} per plan, ${entry.mandate.inForceOnDecisionDate ? 'van kracht op de besluitdatum' : 'NIET van kracht op de besluitdatum'}` : str(f['mandateId'])],
        ['Grondslag', ((f['legalBasis'] as string[]) ?? []).join('; ')],
        ['Motivering', f['personalRecorded'] ? 'vastgelegd in het plan (persoonsgegevens)' : undefined],
      ]);
    }
    default:
      return null;
  }
}

interface LogStatus {
  readonly size: number;
  readonly latestCheckpoint: string | null;
  readonly vkey: string | null;
  /** The witnesses the ledger asks to cosign, with their cosignature/v1 verifier keys. */
  readonly witnesses: readonly { readonly name: string; readonly vkey: string }[];
}

/** Which witnesses cosigned the checkpoint, each cosignature checked here against the witness's key. */
async function cosigners(checkpoint: Checkpoint, witnesses: LogStatus['witnesses']): Promise<string> {
  const checked = await Promise.all(witnesses.map(async (w) => ({ name: w.name, ok: (await verifyCosignature(checkpoint, w.vkey)).ok })));
  const cosigned = checked.filter((w) => w.ok).map((w) => w.name);
  const missing = checked.filter((w) => !w.ok).map((w) => w.name);
  if (cosigned.length === 0) return `nog door geen getuige medeondertekend (${missing.join(', ')})`;
  return `medeondertekend door ${cosigned.join(', ')}${missing.length ? `; nog niet door ${missing.join(', ')}` : ''}`;
}

/** Fetches the inclusion proof and checks it here, in the browser, against the signed checkpoint. */
async function checkProof(entry: Entry, log: LogStatus | null, output: HTMLElement): Promise<void> {
  const vkey = log?.vkey ?? null;
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
  if (log && log.witnesses.length > 0) lines.push(`Getuigen: ${await cosigners(checkpoint, log.witnesses)}.`);
  output.className = `proof ${inclusion.ok ? 'proof-ok' : 'proof-bad'}`;
  output.replaceChildren(h('strong', null, inclusion.ok ? 'Bewijs geldig. ' : 'Bewijs ongeldig. '), lines.join(' '));
}

/** The timeline of a plan (or one doorbraak) from blocking rule to decision; every event's proof can be checked. */
export async function auditPage({ params: [planId], query }: Route): Promise<Page> {
  const doorbraakId = query.get('doorbraak');
  const [trail, log, laws] = await Promise.all([
    api<{ planId: string; entries: Entry[] }>('GET', `/v1/plans/${planId}/audit-trail${doorbraakId ? `?doorbraakId=${doorbraakId}` : ''}`),
    can('log:read') ? api<LogStatus>('GET', '/v1/log') : Promise.resolve(null),
    lawNames(),
  ]);
  const drafted = trail.entries.find((e) => e.type === 'PlanDrafted');
  const doorbraken = trail.entries.filter((e) => e.type === 'DoorbraakDefined');
  const latest = log?.latestCheckpoint ? parseCheckpoint(log.latestCheckpoint) : null;
  const witnessed = latest && log && log.witnesses.length > 0 ? await cosigners(latest, log.witnesses) : undefined;
  const sign = h('button', {
    type: 'button',
    class: 'secondary',
    onclick: async () => {
      await api('POST', '/v1/log/checkpoints', { reason: `audit of plan ${planId}` });
      go(location.hash, 'Er is een nieuw checkpoint ondertekend.');
    },
  }, 'Checkpoint ondertekenen');
  return {
    title: `Audit trail: ${str(drafted?.label) || planId}`,
    content: h(
      'div',
      { class: 'audit' },
      h(
        'div',
        { class: 'no-print' },
        doorbraken.length > 1 || doorbraakId
          ? h('nav', { 'aria-label': 'Per doorbraak' }, h('ul', { class: 'actions' }, h('li', null, h('a', { href: `#/plannen/${planId}/audit`, 'aria-current': doorbraakId ? null : 'page' }, 'Hele plan')), doorbraken.map((d) => h('li', null, h('a', { href: `#/plannen/${planId}/audit?doorbraak=${str(d.facts['doorbraakId'])}`, 'aria-current': doorbraakId === d.facts['doorbraakId'] ? 'page' : null }, str(d.label)))))) 
          : null,
        h('ul', { class: 'actions' }, h('li', null, h('button', { type: 'button', class: 'secondary', onclick: () => window.print() }, 'Afdrukken')), can('log:checkpoint') ? h('li', null, sign) : null),
      ),
      facts([
        ['Plan', planId],
        ['Gebeurtenissen', String(trail.entries.length)],
        ['Laatste checkpoint', latest ? `${latest.size} gebeurtenissen in de log ${latest.origin}` : 'nog geen ondertekend checkpoint'],
        ['Getuigen', witnessed],
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
              ? h('p', { class: 'no-print' }, h('button', { type: 'button', class: 'secondary', 'aria-label': `Bewijs controleren: ${eventLabel[entry.type] ?? entry.type}, ${dateTime(entry.recordedAt)}`, onclick: () => void checkProof(entry, log, output).catch((e: Error) => (output.textContent = `Controle mislukt: ${e.message}`)) }, 'Bewijs controleren'))
              : null,
            output,
          );
        }),
      ),
    ),
  };
}
