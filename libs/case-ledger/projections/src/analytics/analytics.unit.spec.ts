import { analytics, percentile } from './analytics';

const plan = (draftedOn: string, leadTimeDays: number | null, interventionTypes: string[], outcome?: string) => ({
  month: draftedOn.slice(0, 7),
  leadTimeDays,
  doorbraken: interventionTypes.map((interventionType) => ({ interventionType, targetGroup: 'alleenstaande' })),
  outcome: leadTimeDays === null ? null : 'approved',
  evaluationOutcomes: outcome ? [outcome] : [],
});

describe('analytics', () => {
  it('takes the nearest-rank median and p90', () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([], 50)).toBeNull();
  });

  it('counts intervention use per month, lead times, decisions and evaluation outcomes', () => {
    const result = analytics([plan('2026-02-03', 1, ['inkomen']), plan('2026-02-10', 7, ['inkomen', 'schulden'], 'on_track'), plan('2026-03-01', null, ['huisvesting'])]);
    expect(result).toEqual({
      plans: 3,
      interventionUse: [
        { month: '2026-02', interventionType: 'inkomen', targetGroup: 'alleenstaande', doorbraken: 2 },
        { month: '2026-02', interventionType: 'schulden', targetGroup: 'alleenstaande', doorbraken: 1 },
        { month: '2026-03', interventionType: 'huisvesting', targetGroup: 'alleenstaande', doorbraken: 1 },
      ],
      leadTimeDays: { decided: 2, median: 1, p90: 7 },
      decisions: { approved: 2 },
      evaluationOutcomes: { on_track: 1 },
    });
  });
});
