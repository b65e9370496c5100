import { describe, expect, it } from 'vitest';
import { mirroredYDocs } from './session.ts';

describe('mirroredYDocs', () => {
  it('mirrors the text and the chair’s doc for everyone, and a delegation’s own doc for that delegation only', () => {
    expect(mirroredYDocs({ name: 'Ana', role: 'chair', delegation: null })).toEqual(['text', 'chair']);
    expect(mirroredYDocs({ name: 'france', role: 'delegation', delegation: 'FRA' })).toEqual(['text', 'chair', 'd/FRA']);
    expect(mirroredYDocs({ name: 'obs', role: 'observer', delegation: null })).toEqual(['text', 'chair']);
    // Signed out: what the local log holds is read as it is, nothing more is fetched.
    expect(mirroredYDocs(null)).toEqual(['text', 'chair']);
  });
});
