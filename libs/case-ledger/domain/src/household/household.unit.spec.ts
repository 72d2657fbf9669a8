import { DeciderSpecification } from '@doorbraak/testing';
import { randomUUID } from 'node:crypto';
import { HouseholdAlreadyOpened, type HouseholdEvent, HouseholdNotClosed, HouseholdNotOpen, householdDecider } from './household';

const spec = DeciderSpecification.for(householdDecider);
const householdId = randomUUID();
const opened: HouseholdEvent = {
  type: 'HouseholdOpened',
  data: { householdId, reference: 'HH-0001', openedOn: '2026-01-05', regisseur: { professionalId: 'prof-1', role: 'jongerencoach' }, personal: { alias: 'D.' } },
};

describe('Household', () => {
  it('opens once', () => {
    spec.given([]).when({ type: 'OpenHousehold', data: opened.data as never }).then([opened]);
    spec.given([opened]).when({ type: 'OpenHousehold', data: opened.data as never }).thenThrows(HouseholdAlreadyOpened);
  });

  it('assigns regie only while open', () => {
    const assign = { type: 'AssignRegie' as const, data: { householdId, professionalId: 'prof-2', role: 'regisseur', assignedOn: '2026-02-01', reason: 'handover' } };
    spec.given([opened]).when(assign).then([{ type: 'RegieAssigned', data: assign.data }]);
    spec.given([opened, { type: 'HouseholdClosed', data: { householdId, closedOn: '2026-03-01', reason: 'goal reached' } }]).when(assign).thenThrows(HouseholdNotOpen);
  });

  it('erases the personal data of a closed household once, naming the household as the data subject', () => {
    const closed: HouseholdEvent = { type: 'HouseholdClosed', data: { householdId, closedOn: '2046-01-01', reason: 'retention period ended' } };
    const erase = { type: 'EraseHouseholdData' as const, data: { householdId, erasedOn: '2046-01-02', basis: 'retention-period-ended' as const, planIds: [randomUUID()] } };
    const erased: HouseholdEvent = { type: 'HouseholdDataErased', data: erase.data };
    spec.given([opened, closed]).when(erase).then([erased]);
    spec.given([opened]).when(erase).thenThrows(HouseholdNotClosed);
    spec.given([opened, closed, erased]).when(erase).thenThrows(HouseholdNotClosed);
    expect(householdDecider.subjectOf!([opened, closed, erased].reduce(householdDecider.evolve, householdDecider.initialState))).toBe(householdId);
  });
});
