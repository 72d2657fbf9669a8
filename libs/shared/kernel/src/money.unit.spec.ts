import fc from 'fast-check';
import { Exact, Money } from './money';

describe('Money', () => {
  it('multiplies exactly and rounds to whole euros half up only when asked', () => {
    const line = Money.parse('1052.32').times('3');
    expect(line.toString()).toBe('3156.96');
    expect(line.roundedEuros().toString()).toBe('3157');
    expect(Money.parse('0.5').roundedEuros().toString()).toBe('1');
    expect(Money.parse('-1052.50').roundedEuros().toString()).toBe('-1053');
  });

  it('keeps every digit of a product (no binary floating point)', () => {
    expect(Money.parse('0.10').plus(Money.parse('0.20')).toString()).toBe('0.3');
    expect(Money.parse('7000').times('0.5').times('3').toString()).toBe('10500');
    expect(Money.parse('19.99').times('0.333').toString()).toBe('6.65667');
  });

  it.each(['1.234', '1e3', '', ' 12', '12,50', 'NaN', '1.'])('refuses %j as an amount', (text) => {
    expect(() => Money.parse(text)).toThrow(RangeError);
  });

  it('sums in any order to the same exact total', () => {
    const cents = fc.integer({ min: -10_000_000, max: 10_000_000 });
    fc.assert(
      fc.property(fc.array(cents, { maxLength: 40 }), (values) => {
        const amounts = values.map((c) => Money.of(new Exact(c).dividedBy(100)));
        const forwards = Money.sum(amounts);
        const backwards = Money.sum([...amounts].reverse());
        expect(forwards.equals(backwards)).toBe(true);
        expect(forwards.decimal.times(100).toNumber()).toBe(values.reduce((a, b) => a + b, 0));
      }),
    );
  });
});
