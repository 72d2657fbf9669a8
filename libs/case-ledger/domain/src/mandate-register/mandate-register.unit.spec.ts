import { Money } from '@doorbraak/kernel';
import { DeciderSpecification } from '@doorbraak/testing';
import { fold } from '../shared/decider';
import { aMandate } from '../plan/plan.fixtures';
import { MandateAlreadyGranted, MandateNotFound, lowestAuthorityFor, mandateAllows, mandateRegisterDecider } from './mandate-register';

const spec = DeciderSpecification.for(mandateRegisterDecider);

describe('Mandate register', () => {
  it('grants a mandate once and revokes only a known one', () => {
    const granted = aMandate();
    spec.given([granted]).when({ type: 'GrantMandate', data: granted.data }).thenThrows(MandateAlreadyGranted);
    spec.given([]).when({ type: 'RevokeMandate', data: { mandateId: granted.data.mandateId, revokedOn: '2026-05-01', reason: 'reorganisation' } }).thenThrows(MandateNotFound);
  });

  it('judges a request against the register in force on that day', () => {
    const granted = aMandate({ maxPerPlan: '20000' });
    const revoked = { type: 'MandateRevoked' as const, data: { mandateId: granted.data.mandateId, revokedOn: '2026-05-01', reason: 'reorganisation' } };
    const register = fold(mandateRegisterDecider, [granted, revoked]);
    const mandate = register.mandates.get(granted.data.mandateId)!;
    const request = { kind: 'doorbraak' as const, role: 'directeur' as const, fundingSources: ['participatiewet' as const], amount: Money.parse('20000'), per: 'plan' as const };
    expect(mandateAllows(mandate, { ...request, on: '2026-04-30' })).toBe(true);
    expect(mandateAllows(mandate, { ...request, on: '2026-05-01' })).toBe(false);
    expect(mandateAllows(mandate, { ...request, on: '2026-04-30', amount: Money.parse('20000.01') })).toBe(false);
  });

  it('names the lowest role that could decide', () => {
    const register = fold(mandateRegisterDecider, [aMandate({ role: 'teamleider', maxPerPlan: '500' }), aMandate({ role: 'directeur', maxPerPlan: '5000' }), aMandate({ role: 'wethouder', maxPerPlan: '50000' })]);
    const request = { kind: 'doorbraak' as const, on: '2026-03-01', fundingSources: ['participatiewet' as const], per: 'plan' as const };
    expect(lowestAuthorityFor(register, { ...request, amount: Money.parse('400') })).toBe('teamleider');
    expect(lowestAuthorityFor(register, { ...request, amount: Money.parse('4000') })).toBe('directeur');
    expect(lowestAuthorityFor(register, { ...request, amount: Money.parse('40000') })).toBe('wethouder');
    expect(lowestAuthorityFor(register, { ...request, amount: Money.parse('400000') })).toBeUndefined();
  });
});
