// The popover's dollar axes label each tick exactly, with as few decimals as that needs.
import { describe, expect, it } from 'vitest';
import { dollarTicks } from '../../src/renderer/format.js';

describe('dollarTicks', () => {
  it('keeps quarter steps exact instead of rounding $0.25 to $0.3', () => {
    expect(dollarTicks([0, 0.25, 0.5, 0.75, 1])).toEqual(['$0.00', '$0.25', '$0.50', '$0.75', '$1.00']);
  });

  it('uses one decimal for tenths and none for whole dollars', () => {
    expect(dollarTicks([0, 0.5, 1, 1.5])).toEqual(['$0.0', '$0.5', '$1.0', '$1.5']);
    expect(dollarTicks([0, 10, 20])).toEqual(['$0', '$10', '$20']);
  });
});
