import { describe, expect, it } from 'vitest';
import { boundedLine, boundedText } from '../../src/pipeline/bounds.js';

describe('bounded text', () => {
  it('keeps text that fits, and cuts what does not at a character boundary, within the bytes, marked', () => {
    expect(boundedText('short', 100)).toBe('short');
    const cut = boundedText('日本語のテキスト'.repeat(100), 100, '…');
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(100);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut).not.toContain('\uFFFD');
  });

  it('cuts a line by whole code points, never splitting an emoji', () => {
    expect(boundedLine('abc', 5)).toBe('abc');
    const line = boundedLine('😀'.repeat(10), 5);
    expect([...line]).toHaveLength(5);
    expect(line).toBe('😀😀😀😀…');
  });
});
