import { ExportHousehold, householdDocumentSchema } from '@doorbraak/application';
import type { Command } from 'commander';
import { z } from 'zod';
import type { CliContext } from '../cli-context';
import { useCases } from '../use-cases';

export function exportCommand(program: Command, context: CliContext): void {
  program
    .command('export <householdId>')
    .description('print a household with its plans, decisions and spends in the import format')
    .requiredOption('--tenant <code>', 'municipality of the household, e.g. gm9001')
    .action(async (householdId: string, options: { tenant: string }) => {
      const ledger = await context.open();
      const buses = await useCases(ledger.store, ledger.runtime);
      try {
        context.print(JSON.stringify(await buses.queries.execute(new ExportHousehold(householdId, options.tenant)), null, 2));
      } finally {
        await buses.close();
        await ledger.close();
      }
    });

  program
    .command('schema')
    .description('print the JSON Schema of the import format')
    .action(() => context.print(JSON.stringify(importJsonSchema(), null, 2)));
}

export function importJsonSchema(): Record<string, unknown> {
  return { $id: 'https://doorbraak-ledger.example/schemas/household-plans-v1.json', ...z.toJSONSchema(householdDocumentSchema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) };
}
