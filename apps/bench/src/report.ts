import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One measured figure beside what it is compared with. */
export interface Result {
  readonly section: string;
  readonly measurement: string;
  readonly value: number;
  readonly unit: string;
  /** Extra figures of the same measurement, e.g. latency percentiles. */
  readonly detail?: string;
  readonly reference?: { readonly name: string; readonly value: number };
  /** value / reference. */
  readonly ratio?: number;
  readonly target?: { readonly text: string; readonly met: boolean };
}

export function compared(result: Omit<Result, 'ratio' | 'target'>, target?: { text: string; met: (value: number, ratio: number) => boolean }): Result {
  const ratio = result.reference && result.reference.value > 0 ? result.value / result.reference.value : undefined;
  return {
    ...result,
    ...(ratio !== undefined ? { ratio } : {}),
    ...(target ? { target: { text: target.text, met: target.met(result.value, ratio ?? Number.NaN) } } : {}),
  };
}

const number = (value: number) => (value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(value >= 10 ? 1 : 2));

export function markdown(results: readonly Result[], setting: Record<string, string | number>): string {
  const lines = [
    '# Benchmark results',
    '',
    Object.entries(setting)
      .map(([key, value]) => `${key}: ${value}`)
      .join(' · '),
    '',
    '| section | measurement | figure | reference | ratio | target |',
    '|---|---|---:|---|---:|---|',
  ];
  for (const r of results) {
    const figure = `${number(r.value)} ${r.unit}${r.detail ? ` (${r.detail})` : ''}`;
    const reference = r.reference ? `${r.reference.name}: ${number(r.reference.value)}` : '';
    const ratio = r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}×`;
    const target = r.target ? `${r.target.met ? 'met' : '**missed**'}: ${r.target.text}` : '';
    lines.push(`| ${r.section} | ${r.measurement} | ${figure} | ${reference} | ${ratio} | ${target} |`);
  }
  return `${lines.join('\n')}\n`;
}

/** Writes `results.json` and `results.md` into `dir`. */
export function writeResults(dir: string, results: readonly Result[], setting: Record<string, string | number>): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'results.json'), `${JSON.stringify({ setting, results }, null, 2)}\n`);
  writeFileSync(join(dir, 'results.md'), markdown(results, setting));
}
