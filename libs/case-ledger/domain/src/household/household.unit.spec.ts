import { DeciderSpecification } from '@doorbraak/testing';
import { toStoredEvent } from '../events';
import { randomUUID } from 'node:crypto';
import { HouseholdAlreadyOpened, HouseholdNotClosed, HouseholdNotOpen, householdDecider } from './household';

/** The events as stored: free text under `personal`. */
const stored = (events: Parameters<typeof toStoredEvent>[0][]) => events.map(toStoredEvent) as never[];
const spec = DeciderSpecification.for(householdDecider);
const householdId = randomUUID();
const opened = {
  type: 'HouseholdOpened' as const,
  data: { householdId, reference: 'HH-0001', openedOn: '2026-01-05', regisseur: { professionalId: 'prof-1', role: 'jongerencoach' }, personal: { alias: 'D.' } },
};

describe('Household', () => {
  it('opens once', () => {
    spec.given(stored([])).when({ type: 'OpenHousehold', data: opened.data as never }).then(stored([opened]));
    spec.given(stored([opened])).when({ type: 'OpenHousehold', data: opened.data as never }).thenThrows(HouseholdAlreadyOpened);
  });

  it('assigns regie only while open', () => {
    const assign = { type: 'AssignRegie' as const, data: { householdId, professionalId: 'prof-2', role: 'regisseur', assignedOn: '2026-02-01', reason: 'handover' } };
    spec.given(stored([opened])).when(assign).then(stored([{ type: 'RegieAssigned', data: assign.data }]));
    spec.given(stored([opened, { type: 'HouseholdClosed' as const, data: { householdId, closedOn: '2026-03-01', reason: 'goal reached' } }])).when(assign).thenThrows(HouseholdNotOpen);
  });

  it('erases the personal data of a closed household once, naming the household as the data subject', () => {
    const closed = {
  type: 'HouseholdClosed' as const, data: { householdId, closedOn: '2046-01-01', reason: 'retention period ended' } };
    const erase = { type: 'EraseHouseholdData' as const, data: { householdId, erasedOn: '2046-01-02', basis: 'retention-period-ended' as const, planIds: [randomUUID()] } };
    const erased = {
  type: 'HouseholdDataErased' as const, data: erase.data };
    spec.given(stored([opened, closed])).when(erase).then(stored([erased]));
    spec.given(stored([opened])).when(erase).thenThrows(HouseholdNotClosed);
    spec.given(stored([opened, closed, erased])).when(erase).thenThrows(HouseholdNotClosed);
    expect(householdDecider.subjectOf!(stored([opened, closed, erased]).reduce(householdDecider.evolve, householdDecider.initialState), stored([erased])[0]!)).toBe(householdId);
  });
});
