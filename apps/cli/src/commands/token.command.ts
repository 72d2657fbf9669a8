import { grants, principalClaims, roles } from '@doorbraak/application';
import { type Command, Option } from 'commander';
import type { CliContext } from '../cli-context';

export function tokenCommand(program: Command, context: CliContext): void {
  program
    .command('token')
    .description('print a bearer token for local development (refused when NODE_ENV=production or when an identity provider issues tokens)')
    .addOption(new Option('--role <role...>', 'one or more roles').choices(roles).makeOptionMandatory())
    .requiredOption('--municipality <code>', 'CBS code of the municipality, e.g. gm9001')
    .requiredOption('--sub <id>', 'pseudonymous id of the person')
    .option('--namens <body>', 'on whose behalf the person acts')
    .addOption(new Option('--grant <grant...>', 'extra rights, e.g. narrative for an auditor').choices(grants))
    .option('--ttl <duration>', 'lifetime, e.g. 30m or 8h', '8h')
    .action(async (options: { role: string[]; municipality: string; sub: string; namens?: string; grant?: string[]; ttl: string }) => {
      const claims = principalClaims.parse({ sub: options.sub, municipality: options.municipality, roles: options.role, ...(options.namens ? { namens: options.namens } : {}), grants: options.grant ?? [] });
      context.print(await context.issueToken(claims, options.ttl));
    });
}
