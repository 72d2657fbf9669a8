import { FindComparableExceptions, GetAnalytics, GetAuditTrail, GetCostTable, GetFindings, ListPlans, toCsv } from '@doorbraak/application';
import { type CostDimension, costDimensions } from '@doorbraak/projections';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context';
import { useCases } from '../use-cases';

type Options = { tenant: string; format: 'json' | 'csv'; groupBy?: string; boekjaar?: string };

export function reportCommand(program: Command, context: CliContext): void {
  program
    .command('report <name> [argument]')
    .description(
      'print a read model: plans | audit-trail <planId> | comparable <citation> | cost-table | findings | rechtmatigheid-summary | analytics',
    )
    .requiredOption('--tenant <code>', 'municipality, e.g. gm9001')
    .option('--format <format>', 'json or csv', 'json')
    .option('--group-by <dimensions>', `cost-table grouping, comma separated: ${Object.keys(costDimensions).join(', ')}`, 'law')
    .option('--boekjaar <year>', 'findings and summary of one boekjaar')
    .action(async (name: string, argument: string | undefined, options: Options) => {
      const ledger = await context.open();
      const { queries, close } = await useCases(ledger);
      try {
        await ledger.runtime.runUntilCaughtUp();
        const boekjaar = options.boekjaar ? Number(options.boekjaar) : undefined;
        const need = (what: string) => {
          if (!argument) throw new Error(`report ${name} needs ${what}`);
          return argument;
        };
        const rows: unknown = await (() => {
          switch (name) {
            case 'plans':
              return queries.execute(new ListPlans({ tenant: options.tenant, limit: 500, offset: 0 }));
            case 'audit-trail':
              return queries.execute(new GetAuditTrail(need('a plan id'), options.tenant)).then((t) => (t as { entries: unknown[] }).entries);
            case 'comparable':
              return queries.execute(new FindComparableExceptions(need('a rule citation'), options.tenant));
            case 'cost-table':
              return queries.execute(new GetCostTable((options.groupBy ?? 'law').split(',') as CostDimension[], { tenant: options.tenant, where: {} }));
            case 'findings':
              return queries.execute(new GetFindings(options.tenant, boekjaar)).then((r) => (r as { findings: unknown[] }).findings);
            case 'rechtmatigheid-summary':
              return queries.execute(new GetFindings(options.tenant, boekjaar)).then((r) => (r as { summary: unknown[] }).summary);
            case 'analytics':
              return queries.execute(new GetAnalytics(options.tenant));
            default:
              throw new Error(`unknown report ${JSON.stringify(name)}`);
          }
        })();
        if (options.format === 'csv') {
          if (!Array.isArray(rows)) throw new Error(`report ${name} is not a table; use --format json`);
          context.print(toCsv(rows as Record<string, unknown>[]).trimEnd());
        } else {
          context.print(JSON.stringify(rows, null, 2));
        }
      } finally {
        await close();
        await ledger.close();
      }
    });
}
