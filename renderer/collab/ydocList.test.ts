import { describe, expect, it } from 'vitest';
import { parseYDocList } from './ydocList.ts';

describe('parseYDocList', () => {
  it('reads the names, once each, and drops what is not a Y.Doc name', () => {
    const payload = JSON.stringify({ type: 'ydocs', ydocs: ['text', 'chair', 'd/FRA', 'd/FRA', 'd/bad', '../etc', 7, 'd/G77'] });
    expect(parseYDocList(payload)).toEqual(['text', 'chair', 'd/FRA', 'd/G77']);
  });

  it('answers null for other messages and for garbage', () => {
    expect(parseYDocList(JSON.stringify({ type: 'presence', users: [] }))).toBeNull();
    expect(parseYDocList('not json')).toBeNull();
    expect(parseYDocList('null')).toBeNull();
    expect(parseYDocList(JSON.stringify({ type: 'ydocs', ydocs: 'd/FRA' }))).toBeNull();
  });
});
