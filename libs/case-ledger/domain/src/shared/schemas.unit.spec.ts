import { nonNegativeAmount, positiveAmount } from './schemas';

describe('amount schemas', () => {
  const malformed = ['', 'NaN', '1.052,32', '0e9', '\u0000', '\ud800', '../etc', 'x'.repeat(100_000), '1.234'];

  it.each([
    ['positiveAmount', positiveAmount],
    ['nonNegativeAmount', nonNegativeAmount],
  ])('%s: given a malformed amount, when parsed, then it is an issue at the field and never a thrown error', (_, schema) => {
    for (const value of malformed) {
      const result = schema.safeParse(value);
      expect(result.success).toBe(false);
      expect(result.error?.issues.map((i) => i.message)).toEqual(['must be an amount in euros with at most two decimals, e.g. 1052.32']);
    }
  });

  it('given well-formed amounts, then only the refinements decide', () => {
    expect(positiveAmount.safeParse('1052.32').success).toBe(true);
    expect(positiveAmount.safeParse('0.00').error?.issues.map((i) => i.message)).toEqual(['must be more than zero']);
    expect(nonNegativeAmount.safeParse('-1.00').error?.issues.map((i) => i.message)).toEqual(['must not be negative']);
    expect(nonNegativeAmount.safeParse('0').success).toBe(true);
  });
});
