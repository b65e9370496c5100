import { describe, expect, it } from 'vitest';
import { IpcCallError } from '../bridge.ts';
import { signInErrorMessage } from './ConnectDialog.tsx';

describe('signInErrorMessage', () => {
  it("shows a throttled sign-in's sentence as the server wrote it", () => {
    const sentence = 'Too many failed sign-ins. Try again in 15 minutes.';
    expect(signInErrorMessage(new IpcCallError('signIn', { code: 'forbidden', message: sentence }))).toBe(sentence);
  });

  it('completes a wrong password with what to check', () => {
    expect(signInErrorMessage(new IpcCallError('signIn', { code: 'wrong-password', message: 'Wrong name or password' }))).toMatch(/case-sensitive/);
  });
});
