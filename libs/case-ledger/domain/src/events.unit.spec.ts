import { randomUUID } from 'node:crypto';
import { CURRENT_SCHEMA_VERSION, ERASED_PERSONAL, contentSchemas, eventSchemas, freeTextOf, isErased, parseLedgerEvent, readableData, toStoredData } from './events';
import { joinFreeText } from './shared/free-text';
import { aPlan } from './plan/plan.fixtures';

const planId = randomUUID();
const doorbraakId = randomUUID();
const legitimiteit = {
  planId,
  doorbraakId,
  recordId: randomUUID(),
  rules: [{ sourceKind: 'wet', citation: 'Participatiewet art. 41 lid 4', law: 'participatiewet', quotedText: 'Davey waits four weeks', purpose: 'work first' }],
  exceptionGrounds: [{ citation: 'Participatiewet art. 18 lid 1', description: 'tailor to Davey', applies: true, explanation: 'Davey searched in detention' }],
  otherRules: [{ citation: 'Pw art. 9', purpose: 'Davey keeps searching', supportsException: false }],
  decidingAuthority: { body: 'college van B&W', role: 'directeur' },
  correction: { corrects: randomUUID(), reason: 'Davey gave another date' },
};

describe('events as stored (schema version 2)', () => {
  it('moves every free text under personal and keeps codes, citations, ids and roles in the clear', () => {
    const stored = toStoredData('LegitimiteitRecorded', legitimiteit);
    const { personal, ...facts } = stored;
    expect(JSON.stringify(facts)).not.toContain('Davey');
    expect(facts).toEqual({
      planId,
      doorbraakId,
      recordId: legitimiteit.recordId,
      rules: [{ sourceKind: 'wet', citation: 'Participatiewet art. 41 lid 4', law: 'participatiewet' }],
      exceptionGrounds: [{ citation: 'Participatiewet art. 18 lid 1', applies: true }],
      otherRules: [{ citation: 'Pw art. 9', supportsException: false }],
      decidingAuthority: { body: 'college van B&W', role: 'directeur' },
      correction: { corrects: legitimiteit.correction.corrects },
    });
    expect(personal).toEqual({
      rules: [{ quotedText: 'Davey waits four weeks', purpose: 'work first' }],
      exceptionGrounds: [{ description: 'tailor to Davey', explanation: 'Davey searched in detention' }],
      otherRules: [{ purpose: 'Davey keeps searching' }],
      correction: { reason: 'Davey gave another date' },
    });
    expect(eventSchemas.LegitimiteitRecorded.parse(stored)).toEqual(stored);
    expect(joinFreeText(stored, freeTextOf.LegitimiteitRecorded)).toEqual(legitimiteit);
  });

  it('merges the free text with the personal part the event already had', () => {
    const content = { planId, doorbraakId, opinionId: randomUUID(), professionalId: 'prof-2', role: 'participatiecoach', organisation: 'Verslavingszorg Noord', position: 'dissents', personal: { motivation: 'doubts' } };
    expect(toStoredData('ProfessionalOpinionRecorded', content)).toEqual({ ...content, organisation: undefined, personal: { motivation: 'doubts', organisation: 'Verslavingszorg Noord' } });
  });

  it('leaves out the personal part of an event without free text, and has no stored schema that accepts free text in the clear', () => {
    expect(toStoredData('PlanClosed', { planId, closedOn: '2026-04-01', reason: 'withdrawn' })).toEqual({ planId, closedOn: '2026-04-01', reason: 'withdrawn' });
    const drafted = { planId, householdId: randomUUID(), title: 'Plan for Davey', draftedOn: '2026-03-01', planVersion: 1 };
    expect(() => eventSchemas.PlanDrafted.parse(drafted)).toThrow();
    expect(eventSchemas.PlanDrafted.parse({ ...drafted, title: undefined, personal: { title: 'Plan for Davey' } })).not.toHaveProperty('title');
  });

  it('stores free text beside an optional personal part that was left out', () => {
    const content = { planId, evaluationId: randomUUID(), evaluatedOn: '2026-06-01', outcome: 'on_track', indicators: [{ name: 'rent paid by Davey', met: true }] };
    const stored = toStoredData('EvaluationRecorded', content);
    expect(stored['personal']).toEqual({ indicators: [{ name: 'rent paid by Davey' }] });
    expect(parseLedgerEvent('EvaluationRecorded', CURRENT_SCHEMA_VERSION, stored).data).toEqual(stored);
  });

  it('puts each piece of free text back on the object it describes for readers, and marks each erased in place', () => {
    const event = parseLedgerEvent('LegitimiteitRecorded', CURRENT_SCHEMA_VERSION, toStoredData('LegitimiteitRecorded', legitimiteit));
    const readable = readableData(event) as { rules: Record<string, unknown>[]; correction: Record<string, unknown> };
    expect(readable.rules[0]).toEqual({ sourceKind: 'wet', citation: 'Participatiewet art. 41 lid 4', law: 'participatiewet', personal: { quotedText: 'Davey waits four weeks', purpose: 'work first' } });
    expect(readable.correction).toEqual({ corrects: legitimiteit.correction.corrects, personal: { reason: 'Davey gave another date' } });
    const { personal: _p, ...facts } = toStoredData('LegitimiteitRecorded', legitimiteit);
    const erased = readableData(parseLedgerEvent('LegitimiteitRecorded', CURRENT_SCHEMA_VERSION, { ...facts, personal: ERASED_PERSONAL }));
    expect(JSON.stringify(erased)).not.toContain('Davey');
    expect((erased as { rules: { personal: unknown }[] }).rules[0]!.personal).toEqual(ERASED_PERSONAL);
    expect(erased['personal']).toEqual(ERASED_PERSONAL);
  });
});

describe('upcasting version 1 events', () => {
  it('reads every version 1 event the same way as the version 2 event written from the same content', () => {
    const p = aPlan();
    for (const { type, data } of [...p.complete, p.events.submitted, { type: 'LegitimiteitRecorded' as const, data: legitimiteit }]) {
      expect(contentSchemas[type].parse(data)).toBeTruthy();
      expect(parseLedgerEvent(type, 1, data)).toEqual(parseLedgerEvent(type, CURRENT_SCHEMA_VERSION, toStoredData(type, data)));
    }
  });

  it('reads the free text of a version 1 event whose personal part was erased as erased', () => {
    const v1 = { planId, recordId: randomUUID(), involved: [{ organisation: 'Huisartsenpraktijk Davey', role: 'huisarts' }], personal: ERASED_PERSONAL };
    const event = parseLedgerEvent('SituatieschetsRecorded', 1, v1);
    expect(isErased((event.data as { personal?: unknown }).personal)).toBe(true);
    expect(JSON.stringify(event)).not.toContain('Davey');
  });

  it('refuses a version it has no upcaster for', () => {
    expect(() => parseLedgerEvent('PlanDrafted', 3, {})).toThrow(/no upcaster for PlanDrafted v3/);
  });
});
