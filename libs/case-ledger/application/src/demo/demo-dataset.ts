import { householdDocumentSchema, type HouseholdDocument } from '../import-export/household-document.schema';
import dataset from './demo-dataset.json';

/**
 * The demo: the Part II example and the nine worked plans of Part III of the method book, with their published
 * figures; the households' stories are paraphrased, and dates, mandates, budgets and spends are scaffolding.
 */
export function demoDataset(): HouseholdDocument {
  return householdDocumentSchema.parse(dataset);
}
