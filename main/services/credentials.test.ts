import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EncryptedFileCredentialVault, MemoryCredentialVault, type SecretCipher } from './credentials.ts';

/** A real AES-256-GCM cipher standing in for the OS keychain (what safeStorage does on macOS and Windows). */
function aesCipher(key = randomBytes(32)): SecretCipher {
  return {
    async encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    async decrypt(sealed) {
      const bytes = Buffer.from(sealed);
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
      decipher.setAuthTag(bytes.subarray(12, 28));
      return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

let dir: string;
let logged: string[];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'penholder-vault-'));
  logged = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('EncryptedFileCredentialVault', () => {
  it('keeps secrets across reopening, never in plain text on disk', async () => {
    const key = randomBytes(32);
    const file = join(dir, 'credentials.json');
    const vault = new EncryptedFileCredentialVault(file, aesCipher(key));
    expect(vault.persistent).toBe(true);
    await Promise.all([vault.set('sync-refresh:http://a', 'refresh-token-AAAA'), vault.set('sync-refresh:http://b', 'refresh-token-BBBB')]);
    const onDisk = readFileSync(file, 'utf8');
    expect(onDisk).not.toContain('refresh-token');

    const reopened = new EncryptedFileCredentialVault(file, aesCipher(key));
    expect(await reopened.get('sync-refresh:http://a')).toBe('refresh-token-AAAA');
    expect(await reopened.get('sync-refresh:http://b')).toBe('refresh-token-BBBB');
    await reopened.delete('sync-refresh:http://a');
    expect(await new EncryptedFileCredentialVault(file, aesCipher(key)).get('sync-refresh:http://a')).toBeNull();
    expect(await new EncryptedFileCredentialVault(file, aesCipher(key)).get('sync-refresh:http://b')).toBe('refresh-token-BBBB');
  });

  it('treats a secret the keychain can no longer decrypt as absent, and forgets it', async () => {
    const file = join(dir, 'credentials.json');
    await new EncryptedFileCredentialVault(file, aesCipher()).set('k', 'secret');
    const other = new EncryptedFileCredentialVault(file, aesCipher(), (m) => void logged.push(m));
    expect(await other.get('k')).toBeNull();
    expect(logged.join('\n')).toMatch(/could not be decrypted/);
    expect(JSON.parse(readFileSync(file, 'utf8')).entries).toEqual({});
  });

  it('moves a damaged file aside and starts empty', async () => {
    const file = join(dir, 'credentials.json');
    writeFileSync(file, '{"version": 1, "entries": {"k": 12}}');
    const vault = new EncryptedFileCredentialVault(file, aesCipher(), (m) => void logged.push(m));
    expect(await vault.get('k')).toBeNull();
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(join(dir, 'damaged'))).toHaveLength(1);
    expect(logged.join('\n')).toMatch(/moved to/);
    await vault.set('k', 'fresh');
    expect(await vault.get('k')).toBe('fresh');
  });
});

describe('MemoryCredentialVault', () => {
  it('keeps secrets in memory only and says so', async () => {
    const vault = new MemoryCredentialVault();
    expect(vault.persistent).toBe(false);
    expect(vault.notice).toMatch(/sign in again/);
    await vault.set('k', 'v');
    expect(await vault.get('k')).toBe('v');
    await vault.delete('k');
    expect(await vault.get('k')).toBeNull();
  });
});
