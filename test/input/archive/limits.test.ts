import { describe, expect, it } from 'vitest';
import { Budget, CorruptError, DEFAULT_LIMITS, LimitError, RATIO_FLOOR, type ArchiveLimits } from '../../../src/input/archive/limits';
import { thrown } from '../../helpers/bytes';

const MiB = 1024 * 1024;
const limits = (overrides: Partial<ArchiveLimits>): ArchiveLimits => ({ ...DEFAULT_LIMITS, ...overrides });

describe('DEFAULT_LIMITS', () => {
  // README "Limits" and src/report/options.ts document 512 MiB per entry since b6045b7 (it was 256 MiB before).
  it('has the documented values', () => {
    expect(DEFAULT_LIMITS).toEqual({
      maxTotalBytes: 1024 * MiB,
      maxEntryBytes: 512 * MiB,
      maxEntries: 200_000,
      maxDepth: 3,
      maxRatio: 200,
      maxMapBytes: 256 * MiB,
      maxSources: 100_000,
    });
    expect(DEFAULT_LIMITS.maxTotalBytes).toBe(1_073_741_824);
    expect(DEFAULT_LIMITS.maxEntryBytes).toBe(536_870_912);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(DEFAULT_LIMITS)).toBe(true);
    expect(() => {
      (DEFAULT_LIMITS as ArchiveLimits).maxDepth = 99;
    }).toThrow(TypeError);
    expect(DEFAULT_LIMITS.maxDepth).toBe(3);
  });

  it('judges ratios only past 16 MiB', () => {
    expect(RATIO_FLOOR).toBe(16 * MiB);
  });
});

describe('Budget counters', () => {
  it('starts at zero and keeps the limits it was given', () => {
    const l = limits({ maxEntries: 7 });
    const budget = new Budget(l);
    expect([budget.inflated, budget.entries, budget.archives]).toEqual([0, 0, 0]);
    expect(budget.limits).toBe(l);
  });

  it('inflate adds up and allows exactly maxTotalBytes', () => {
    const budget = new Budget(limits({ maxTotalBytes: 100 }));
    budget.inflate(0);
    budget.inflate(40);
    budget.inflate(60);
    expect(budget.inflated).toBe(100);
  });

  it('inflate past maxTotalBytes throws LimitError(maxTotalBytes, value) and has counted the bytes', () => {
    const budget = new Budget(limits({ maxTotalBytes: 100 }));
    budget.inflate(99);
    const error = thrown(() => budget.inflate(2));
    expect(error).toBeInstanceOf(LimitError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'LimitError', limit: 'maxTotalBytes', value: 100, message: 'more than 100 bytes inflated in all' });
    expect(budget.inflated).toBe(101);
    // Still over: every further count throws.
    expect(() => budget.inflate(0)).toThrow(LimitError);
  });

  it('entry allows exactly maxEntries and throws LimitError(maxEntries, value) on the next', () => {
    const budget = new Budget(limits({ maxEntries: 3 }));
    budget.entry();
    budget.entry();
    budget.entry();
    expect(budget.entries).toBe(3);
    const error = thrown(() => budget.entry());
    expect(error).toBeInstanceOf(LimitError);
    expect(error).toMatchObject({ name: 'LimitError', limit: 'maxEntries', value: 3, message: 'more than 3 archive entries' });
    expect(budget.entries).toBe(4);
  });

  it('maxEntries 0 refuses the first entry', () => {
    const budget = new Budget(limits({ maxEntries: 0 }));
    expect(() => budget.entry()).toThrow(new LimitError('maxEntries', 0, 'more than 0 archive entries'));
  });

  it('ratio never throws at or below the floor, whatever the ratio', () => {
    const budget = new Budget(limits({ maxRatio: 2 }));
    budget.ratio(RATIO_FLOOR, 0, 'x');
    budget.ratio(1, 0, 'x');
    budget.ratio(0, 0, 'x');
    expect(budget.inflated).toBe(0);
  });

  it('ratio above the floor allows exactly maxRatio times and throws LimitError(maxRatio, value) past it', () => {
    const budget = new Budget(limits({ maxRatio: 200 }));
    const compressed = 100_000;
    const inflated = compressed * 200; // 20,000,000 > 16 MiB
    expect(inflated).toBeGreaterThan(RATIO_FLOOR);
    budget.ratio(inflated, compressed, 'a.tgz');
    const error = thrown(() => budget.ratio(inflated + 1, compressed, 'a.tgz'));
    expect(error).toBeInstanceOf(LimitError);
    expect(error).toMatchObject({ name: 'LimitError', limit: 'maxRatio', value: 200, message: 'a.tgz inflates more than 200 times its compressed size' });
  });

  it('ratio just past the floor with nothing read throws', () => {
    const budget = new Budget(limits({ maxRatio: 1000 }));
    expect(() => budget.ratio(RATIO_FLOOR + 1, 0, 'x')).toThrow(LimitError);
  });

  it('ratio does not count bytes', () => {
    const budget = new Budget(DEFAULT_LIMITS);
    budget.ratio(RATIO_FLOOR + 1, RATIO_FLOOR, 'x');
    expect(budget.inflated).toBe(0);
  });
});

describe('errors', () => {
  it('LimitError carries which limit and its value', () => {
    const error = new LimitError('maxDepth', 3, 'too deep');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('LimitError');
    expect(error.limit).toBe('maxDepth');
    expect(error.value).toBe(3);
    expect(error.message).toBe('too deep');
    expect(error).not.toBeInstanceOf(CorruptError);
  });

  it('CorruptError is an Error with its own name', () => {
    const error = new CorruptError('broken');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('CorruptError');
    expect(error.message).toBe('broken');
    expect(error).not.toBeInstanceOf(LimitError);
  });
});
