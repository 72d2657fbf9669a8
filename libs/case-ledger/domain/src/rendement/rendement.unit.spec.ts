import { Exact, Money } from '@doorbraak/kernel';
import fc from 'fast-check';
import { fundingSourceCodes, type FundingSource } from '../reference/code-lists';
import { type CostLine, computeRendement, lineAmount, printedTotals } from './rendement';

let next = 0;
const line = (description: string, unitPrice: string, huidig: string, dreigend: string, doorbraak: string, fundingSource: FundingSource): CostLine => ({
  costLineId: `${description}-${++next}`,
  unit: 'maand',
  unitPrice: Money.parse(unitPrice),
  quantities: { huidig: new Exact(huidig), dreigend: new Exact(dreigend), doorbraak: new Exact(doorbraak) },
  fundingSource,
});

describe('rendement', () => {
  describe("given Davey's plan over four months", () => {
    const lines = [line('Detentie', '230', '0', '30', '0', 'justitie'), line('Bijstand', '1052.32', '3', '3', '4', 'participatiewet')];

    it('computes exact totals, direct costs and real benefit', () => {
      const r = computeRendement(lines);
      expect([r.huidig, r.dreigend, r.doorbraak, r.directCosts, r.realBenefit].map(String)).toEqual(['3156.96', '10056.96', '4209.28', '1052.32', '5847.68']);
    });

    it('prints whole euros as the book does', () => {
      const p = printedTotals(lines);
      expect([p.huidig, p.dreigend, p.doorbraak, p.directCosts, p.realBenefit].map(String)).toEqual(['3157', '10057', '4209', '1052', '5848']);
    });

    it('splits the same figures per funding source', () => {
      const r = computeRendement(lines);
      expect(String(r.byFundingSource.justitie!.realBenefit)).toBe('6900');
      expect(String(r.byFundingSource.participatiewet!.directCosts)).toBe('1052.32');
    });
  });

  describe('invariants', () => {
    const amount = fc.integer({ min: 0, max: 5_000_000 }).map((c) => (c / 100).toFixed(2));
    const quantity = fc.integer({ min: 0, max: 4000 }).map((q) => new Exact(q).dividedBy(4).toString());
    const lines = fc.array(
      fc.record({ p: amount, h: quantity, d: quantity, b: quantity, s: fc.constantFrom(...fundingSourceCodes) }).map((r) => line('x', r.p, r.h, r.d, r.b, r.s)),
      { maxLength: 25 },
    );

    it('direct costs + real benefit = dreigend − huidig', () => {
      fc.assert(fc.property(lines, (ls) => {
        const r = computeRendement(ls);
        expect(r.directCosts.plus(r.realBenefit).equals(r.dreigend.minus(r.huidig))).toBe(true);
      }));
    });

    it('the per-source tables add up to the overall table', () => {
      fc.assert(fc.property(lines, (ls) => {
        const r = computeRendement(ls);
        const parts = Object.values(r.byFundingSource);
        for (const key of ['huidig', 'dreigend', 'doorbraak', 'directCosts', 'realBenefit'] as const) {
          expect(Money.sum(parts.map((p) => p![key])).equals(r[key])).toBe(true);
        }
      }));
    });

    it('does not depend on the order of the lines', () => {
      fc.assert(fc.property(lines, (ls) => {
        const a = computeRendement(ls);
        const b = computeRendement([...ls].reverse());
        expect(a.doorbraak.equals(b.doorbraak) && a.dreigend.equals(b.dreigend) && a.huidig.equals(b.huidig)).toBe(true);
      }));
    });

    it('rounds each printed line within half a euro of the exact amount', () => {
      fc.assert(fc.property(lines, (ls) => {
        for (const l of ls) {
          const exact = lineAmount(l, 'doorbraak');
          expect(exact.minus(exact.roundedEuros()).decimal.abs().lessThanOrEqualTo('0.5')).toBe(true);
        }
      }));
    });
  });
});
