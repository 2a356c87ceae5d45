import { describe, expect, it } from 'vitest';
import { PAPER_LOSSCUT_PERCENT, PAPER_MARGIN_CALL_PERCENT, paperMarginStatus } from './paper-exchange.js';

describe('paper margin status', () => {
  it('is NORMAL without positions and above the margin-call level', () => {
    expect(paperMarginStatus(null)).toBe('NORMAL');
    expect(paperMarginStatus(PAPER_MARGIN_CALL_PERCENT)).toBe('NORMAL');
    expect(paperMarginStatus(250)).toBe('NORMAL');
  });

  it('reports CALL below the margin-call level and LOSSCUT below the loss-cut level', () => {
    expect(paperMarginStatus(PAPER_MARGIN_CALL_PERCENT - 0.01)).toBe('CALL');
    expect(paperMarginStatus(PAPER_LOSSCUT_PERCENT)).toBe('CALL');
    expect(paperMarginStatus(PAPER_LOSSCUT_PERCENT - 0.01)).toBe('LOSSCUT');
  });
});
