import Decimal from 'decimal.js';

/** Exact decimals for money and quantities: 40 significant digits, rounding half up where rounding is asked for. */
export const Exact = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Exact = Decimal;

const AMOUNT = /^-?\d{1,13}(\.\d{1,2})?$/;

/**
 * An amount in euros, exact. Amounts entered by people have at most two decimals; products such as
 * unit price × quantity keep every digit until something is shown, when `roundedEuros` rounds half up as the
 * method book prints its tables (€1.052,32 × 3 = €3.156,96, printed €3.157).
 */
export class Money {
  private constructor(private readonly value: Exact) {}

  static readonly zero = new Money(new Exact(0));

  /** Parses a decimal string with at most two decimals ("1052.32"). */
  static parse(text: string): Money {
    if (!AMOUNT.test(text)) throw new RangeError(`not an amount in euros: ${JSON.stringify(text)}`);
    return new Money(new Exact(text));
  }

  static isAmount(text: string): boolean {
    return AMOUNT.test(text);
  }

  static of(value: Exact): Money {
    return new Money(new Exact(value));
  }

  static sum(amounts: Iterable<Money>): Money {
    let total = new Exact(0);
    for (const amount of amounts) total = total.plus(amount.value);
    return new Money(total);
  }

  plus(other: Money): Money {
    return new Money(this.value.plus(other.value));
  }

  minus(other: Money): Money {
    return new Money(this.value.minus(other.value));
  }

  times(factor: Exact | string): Money {
    return new Money(this.value.times(factor));
  }

  isNegative(): boolean {
    return this.value.isNegative() && !this.value.isZero();
  }

  isZero(): boolean {
    return this.value.isZero();
  }

  greaterThan(other: Money): boolean {
    return this.value.greaterThan(other.value);
  }

  equals(other: Money): boolean {
    return this.value.equals(other.value);
  }

  /** Whole euros, half up (away from zero for negative amounts, as a printed table shows −€1.052). */
  roundedEuros(): Money {
    return new Money(this.value.toDecimalPlaces(0, Decimal.ROUND_HALF_UP));
  }

  get decimal(): Exact {
    return this.value;
  }

  /** The exact value as a plain decimal string (no exponent), e.g. "3156.96". */
  toString(): string {
    return this.value.toFixed();
  }

  toJSON(): string {
    return this.toString();
  }
}
