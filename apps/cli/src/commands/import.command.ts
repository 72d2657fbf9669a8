import { type HouseholdDocument, ImportHouseholds, type ImportResult, demoDataset, householdDocumentSchema } from '@doorbraak/application';
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { FORBIDDEN_KEY, type FieldError, fieldErrors, forbiddenKey, parseDocument } from '@doorbraak/kernel';
import { ZodError } from 'zod';
import type { CliContext } from '../cli-context';
import { useCases } from '../use-cases';

async function runImport(context: CliContext, document: HouseholdDocument, actor: string): Promise<ImportResult> {
  const ledger = await context.open();
  const buses = await useCases(ledger);
  try {
    return await buses.commands.execute(new ImportHouseholds(document, { actor, tenant: document.tenant, correlationId: randomUUID() }));
  } finally {
    await buses.close();
    await ledger.close();
  }
}

function report(context: CliContext, result: ImportResult): void {
  for (const household of result.households) {
    for (const plan of household.plans) {
      context.print(`${plan.status.padEnd(9)} plan ${plan.planId} (household ${household.householdId})`);
      for (const error of plan.errors) context.print(`          ${error.pointer}: ${error.detail}`);
    }
    for (const error of household.errors) context.print(`failed    household ${household.householdId}: ${error.pointer}: ${error.detail}`);
  }
  const plans = result.households.flatMap((h) => h.plans);
  context.print(`${plans.filter((p) => p.status === 'imported').length} imported, ${plans.filter((p) => p.status === 'unchanged').length} unchanged, ${plans.filter((p) => p.status === 'failed').length} failed`);
  if (plans.some((p) => p.status === 'failed') || result.households.some((h) => h.status === 'failed')) process.exitCode = 2;
}

/** The import document in `file`, or what is wrong with it, field by field, as the API names it. */
function readDocument(file: string): HouseholdDocument | FieldError[] {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    if (error instanceof SyntaxError) throw new Error(`${file} is not JSON (${error.message}); nothing was imported`);
    throw error;
  }
  const key = forbiddenKey(value);
  if (key) return [{ pointer: key, detail: FORBIDDEN_KEY }];
  try {
    return parseDocument(householdDocumentSchema, value);
  } catch (error) {
    if (error instanceof ZodError) return fieldErrors(error);
    throw error;
  }
}

export function importCommand(program: Command, context: CliContext): void {
  program
    .command('import <file>')
    .description('import households with whole plans (docs/import/household-plans.schema.json); each plan all or nothing')
    .option('--actor <id>', 'who imports, recorded on every event', 'cli-import')
    .action(async (file: string, options: { actor: string }) => {
      const document = readDocument(file);
      if (document instanceof Array) {
        for (const { pointer, detail } of document) context.print(`invalid   ${pointer}: ${detail}`);
        throw new Error(`${file} is not a valid import document; nothing was imported`);
      }
      report(context, await runImport(context, document, options.actor));
    });

  program
    .command('demo')
    .description('load the demo: the nine worked plans of the method book and the Eveline example')
    .action(async () => report(context, await runImport(context, demoDataset(), 'demo-loader')));
}
