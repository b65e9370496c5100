/**
 * The desktop's credential vault: refresh tokens encrypted with the OS keychain through Electron's safeStorage,
 * in `<userData>/credentials.json`. Without a real keychain (safeStorage unavailable, or Linux's "basic_text"
 * fallback, which is obfuscation with a fixed key) nothing is written: sign-ins last until the app quits, and the
 * person is told so.
 */
import { join } from 'node:path';
import { app, safeStorage } from 'electron';
import { EncryptedFileCredentialVault, MemoryCredentialVault, type CredentialVault } from '../services/credentials.ts';

/** Must be called after app `ready` (safeStorage needs it on some systems). */
export async function openCredentialVault(log: (message: string) => void): Promise<CredentialVault> {
  const notice = await keychainProblem();
  if (notice !== null) {
    log(`[penholder] ${notice}`);
    return new MemoryCredentialVault(notice);
  }
  return new EncryptedFileCredentialVault(
    join(app.getPath('userData'), 'credentials.json'),
    {
      encrypt: (plain) => safeStorage.encryptStringAsync(plain),
      decrypt: async (sealed) => (await safeStorage.decryptStringAsync(Buffer.from(sealed))).result,
    },
    log,
  );
}

/** Why secrets cannot be kept safely on this system, or null when they can. */
async function keychainProblem(): Promise<string | null> {
  let available: boolean;
  try {
    available = await safeStorage.isAsyncEncryptionAvailable();
  } catch {
    available = false;
  }
  if (!available) {
    return 'This system offers no keychain to protect saved sign-ins, so Penholder keeps them in memory only: you will have to sign in again after a restart.';
  }
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
    return 'No system keychain (GNOME Keyring or KWallet) is running, so Penholder keeps sign-ins in memory only: you will have to sign in again after a restart.';
  }
  return null;
}
