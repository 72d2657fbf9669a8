import table from './iv3-taakvelden.json';

type Period = '2022' | '2023_2024' | '2025_2026';
const codes = table as unknown as Record<Period, Record<string, string>>;

function periodOf(boekjaar: number): Period | undefined {
  if (boekjaar === 2022) return '2022';
  if (boekjaar === 2023 || boekjaar === 2024) return '2023_2024';
  if (boekjaar === 2025 || boekjaar === 2026) return '2025_2026';
  return undefined;
}

/** Parent codes that were split: booking on them is not allowed from 2023 on. */
const NOT_BOOKABLE = new Set(['6.71', '6.72', '6.81', '6.82']);

/**
 * The label of an Iv3 taakveld of the social domain that can be booked on in `boekjaar`, or undefined. Codes
 * change per boekjaar (6.2 was split into 6.21–6.23 in 2025; 6.71 into 6.71a–d in 2023 and 6.711–6.714 in 2025).
 */
export function iv3Taakveld(boekjaar: number, code: string): string | undefined {
  const period = periodOf(boekjaar);
  if (!period) return undefined;
  if (boekjaar >= 2023 && NOT_BOOKABLE.has(code)) return undefined;
  return codes[period][code];
}
