import { describe, expect, it } from 'vitest';
import { SYNC_CLOSE } from '../../shared/sync.ts';
import { closeVerdict, describeClose } from './closeReasons.ts';

describe('closeVerdict', () => {
  it('asks for a newer Penholder on 4426 and stops retrying', () => {
    const verdict = closeVerdict(SYNC_CLOSE.upgradeRequired.code);
    expect(verdict.kind).toBe('stop');
    expect(verdict.message).toMatch(/^Please update Penholder/);
  });

  it('gets a new token on 4401', () => {
    expect(closeVerdict(4401).kind).toBe('reauthenticate');
  });

  it('stops on refusals that would only repeat', () => {
    for (const code of [4403, 4413, 4400, 4423]) expect(closeVerdict(code).kind).toBe('stop');
  });

  it('retries when the server could not store or load, keeping the changes here', () => {
    expect(closeVerdict(SYNC_CLOSE.storeFailed.code)).toEqual({ kind: 'retry', message: expect.stringMatching(/kept on this computer/) });
    expect(closeVerdict(SYNC_CLOSE.loadFailed.code).kind).toBe('retry');
  });

  it('retries over-budget closes with a sentence, and network closes silently', () => {
    expect(closeVerdict(4429)).toEqual({ kind: 'retry', message: expect.stringMatching(/limiting/) });
    expect(closeVerdict(1006)).toEqual({ kind: 'retry', message: null });
    expect(closeVerdict(undefined)).toEqual({ kind: 'retry', message: null });
  });

  it('has a sentence for every server close code', () => {
    for (const { code } of Object.values(SYNC_CLOSE)) expect(describeClose(code)).toMatch(/\.$/);
  });
});
