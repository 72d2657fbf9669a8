import { Money } from '@doorbraak/kernel';
import { z } from 'zod';
import { costUnits, decisionRoles, fundingSourceCodes, fundingSources, interventionTypes, ruleSourceKinds, targetGroups } from '../reference/code-lists';

// A missing field reads "required" at every edge, not a type complaint about undefined.
z.config({ customError: (issue) => (issue.input === undefined ? 'required' : undefined) });

/** Building blocks of event and command schemas; every boundary parses with these. */
export const id = z.string().uuid();
export const isoDate = z.iso.date();
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const unstorable = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** Text a person wrote: no control characters but tab and newlines, no lone surrogates (neither can be stored as JSONB text). */
export const text = (max = 2_000) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((t) => !unstorable.test(t), 'must be text without control characters or broken characters');
export const actorId = z.string().regex(/^[A-Za-z0-9._:@-]{1,128}$/, 'must be an identifier (letters, digits, . _ : @ -)');

/** A euro amount as a decimal string with at most two decimals, e.g. "1052.32". */
// The format check aborts the checks after it: the refinements below parse the amount, and must never see a malformed one.
export const amount = z.string().refine(Money.isAmount, { message: 'must be an amount in euros with at most two decimals, e.g. 1052.32', abort: true });
export const positiveAmount = amount.refine((a) => Money.parse(a).greaterThan(Money.zero), 'must be more than zero');
export const nonNegativeAmount = amount.refine((a) => !Money.parse(a).isNegative(), 'must not be negative');

/** A quantity as a decimal string, never negative: "3", "0.5". */
export const quantity = z
  .string()
  .regex(/^-?\d{1,9}(\.\d{1,6})?$/, 'must be a decimal number, e.g. "3" or "0.5"')
  .refine((q) => !q.startsWith('-'), 'must not be negative');

// The OpenAPI document names each code's law (`x-enum-descriptions`, in the codes' order) for the pages to show.
export const fundingSource = z
  .enum(fundingSourceCodes, {
    error: (issue) => {
      if (issue.input === undefined) return 'required';
      // The input is echoed only when it is a short string: a deep or huge value must not be rendered into the answer.
      const shown = typeof issue.input === 'string' && issue.input.length <= 40 ? `unknown funding source ${JSON.stringify(issue.input)}` : 'must be a funding source code';
      return `${shown}; known: ${fundingSourceCodes.join(', ')}`;
    },
  })
  .meta({ 'x-enum-descriptions': fundingSourceCodes.map((code) => fundingSources[code]) });
export const interventionType = z.enum(interventionTypes);
export const targetGroup = z.enum(targetGroups);
export const decisionRole = z.enum(decisionRoles);
export const ruleSourceKind = z.enum(ruleSourceKinds);
/** A cost line's unit as the KBA table prints it: a known code, or the table's own word (the amounts stay strictly checked). */
export const costUnit = z.union([z.enum(costUnits), text(60)]);
export const role = text(100);
export const tenant = z.string().regex(/^gm\d{4}$/, 'must be a CBS municipality code such as gm0363');

/** A correction re-records a step and names the record it replaces. */
export const correction = z.object({ corrects: id, reason: text(500) });
