import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importJsonSchema } from './export.command';

describe('the import format', () => {
  it('is published as docs/import/household-plans.schema.json, generated from the schema the import validates with', () => {
    const committed = JSON.parse(readFileSync(join(__dirname, '../../../../docs/import/household-plans.schema.json'), 'utf8'));
    // When this fails after a schema change: npm run build && npm run -s ledger -- schema > docs/import/household-plans.schema.json
    expect(committed).toEqual(importJsonSchema());
  });
});
