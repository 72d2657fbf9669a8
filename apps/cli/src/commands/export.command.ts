import { ExportHousehold, RecordAccess, householdDocumentSchema } from '@doorbraak/application';
import { createHash, randomUUID } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import { checkWitnessPolicy } from '@doorbraak/witness';
import type { Command } from 'commander';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { CliContext } from '../cli-context';
import { useCases } from '../use-cases';

export function exportCommand(program: Command, context: CliContext): void {
  program
    .command('export [householdId]')
    .description("print a household in the import format, or with --audit write an auditor's bundle for a period")
    .option('--tenant <code>', 'municipality of the household, e.g. gm9001')
    .option('--audit <period>', 'write the audit bundle of this period (checkpoint, entries, consistency proof, key, verifier, VERIFY.md)')
    .option('--out <dir>', 'directory for the audit bundle')
    .option('--purpose <activity>', 'the processing activity this export serves, for the access log', 'privacy-administration')
    .action(async (householdId: string | undefined, options: { tenant?: string; audit?: string; out?: string; purpose: string }) => {
      if (options.audit) return exportAudit(context, options.audit, options.out ?? `audit-${options.audit}`);
      if (!householdId || !options.tenant) throw new Error('export needs a household id and --tenant (or --audit <period>)');
      const ledger = await context.open();
      const buses = await useCases(ledger);
      try {
        const exported: unknown = await buses.queries.execute(new ExportHousehold(householdId, options.tenant));
        // An export by an operator is an access like any other: logged before the data leaves.
        const operator = { actor: `cli:${userInfo().username}`, tenant: options.tenant, correlationId: randomUUID() };
        const access = { action: 'export' as const, object: { type: 'household' as const, id: householdId }, householdIds: [householdId], result: 'granted' as const, purpose: options.purpose };
        await buses.commands.execute(new RecordAccess({ ...access, authorisation: { roles: ['operator'], grants: [] }, narrativeDisclosed: true, breakGlass: false, origin: `cli@${hostname()}`, traceId: operator.correlationId }, operator));
        context.print(JSON.stringify(exported, null, 2));
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

/** The standalone verifier and its instructions, found from this file in src/ or in dist/. */
function verifierDir(): string {
  const found = [join(__dirname, '../../../../infra/verifier'), join(__dirname, '../../../../../infra/verifier')].find((dir) => existsSync(join(dir, 'verify-audit-bundle.mjs')));
  if (!found) throw new Error('the standalone verifier (infra/verifier) was not found beside this installation');
  return found;
}

async function exportAudit(context: CliContext, period: string, out: string): Promise<void> {
  const ledger = await context.open();
  try {
    if (!ledger.vkey) throw new Error('no checkpoint signing key is configured (LEDGER_CHECKPOINT_KEY)');
    await ledger.log.integrateAll();
    const bundle = await ledger.log.auditBundle(period);
    // The witnesses are asked for what they have not cosigned yet, so the bundle carries their cosignatures.
    await ledger.witnesses.collect();
    const checkpoint = await ledger.witnesses.cosigned(bundle.checkpoint);
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'checkpoint.txt'), checkpoint);
    writeFileSync(join(out, 'public-key.txt'), `${ledger.vkey}\n`);
    writeFileSync(join(out, 'entries.jsonl'), Buffer.concat(bundle.entries.flatMap((e) => [e, Buffer.from('\n')])));
    if (bundle.previousCheckpoint && bundle.consistencyProof) {
      writeFileSync(join(out, 'previous-checkpoint.txt'), bundle.previousCheckpoint);
      writeFileSync(join(out, 'consistency-proof.json'), `${JSON.stringify(bundle.consistencyProof, null, 2)}\n`);
    }
    for (const file of ['verify-audit-bundle.mjs', 'VERIFY.md']) copyFileSync(join(verifierDir(), file), join(out, file));
    const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
    const keyFingerprint = sha256(ledger.vkey);
    context.print(`wrote ${bundle.entries.length} entries of period ${period} to ${out}`);
    const witnesses = ledger.witnesses.witnesses.map((w) => w.vkey);
    if (witnesses.length > 0) {
      const { cosigned, missing } = checkWitnessPolicy(checkpoint, witnesses);
      context.print(`cosigned by ${cosigned.join(', ') || 'no witness'}${missing.length ? `; not (yet) by ${missing.join(', ')}` : ''}`);
    }
    // What the auditor pins comes from the municipality by another channel; these lines are what it publishes.
    context.print(`log key fingerprint (publish it; the auditor pins it): ${keyFingerprint}`);
    context.print(`verifier sha256 (publish it; the auditor checks their copy): ${sha256(readFileSync(join(out, 'verify-audit-bundle.mjs')))}`);
    context.print(`the auditor checks with their own copy of the verifier: node verify-audit-bundle.mjs --key ${keyFingerprint} ${out}`);
  } finally {
    await ledger.close();
  }
}
