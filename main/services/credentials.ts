/**
 * Where main keeps the refresh tokens of sync servers: never in the renderer, never in plain text on disk.
 *
 * The desktop shell gives {@link EncryptedFileCredentialVault} a cipher backed by the OS keychain (Electron's
 * safeStorage, in main/app); without one it falls back to {@link MemoryCredentialVault}, which forgets everything
 * when the app quits. The web host (tests and local use only) always uses the memory vault.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { moveAside, writeFileAtomic } from '../storage/files.ts';

/** A small key-value store of secrets. */
export interface CredentialVault {
  /** True when secrets survive a restart; false when they live in memory only. */
  readonly persistent: boolean;
  /** Why secrets do not persist, for a person; null when they do. */
  readonly notice: string | null;
  get(key: string): Promise<string | null>;
  set(key: string, secret: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Secrets in memory only: gone when the process ends. */
export class MemoryCredentialVault implements CredentialVault {
  readonly persistent = false;
  readonly notice: string | null;
  readonly #secrets = new Map<string, string>();

  constructor(notice = 'Sign-ins are kept in memory only: you will have to sign in again after a restart.') {
    this.notice = notice;
  }

  async get(key: string): Promise<string | null> {
    return this.#secrets.get(key) ?? null;
  }

  async set(key: string, secret: string): Promise<void> {
    this.#secrets.set(key, secret);
  }

  async delete(key: string): Promise<void> {
    this.#secrets.delete(key);
  }
}

/** Encrypts and decrypts secrets with a key the OS keeps (Electron's safeStorage in the desktop app). */
export interface SecretCipher {
  encrypt(plain: string): Promise<Uint8Array>;
  decrypt(sealed: Uint8Array): Promise<string>;
}

const fileSchema = z.object({ version: z.literal(1), entries: z.record(z.string(), z.string().regex(/^[A-Za-z0-9+/=]*$/)) });

/**
 * Secrets encrypted one by one and kept in a JSON file replaced atomically on every change. A damaged file is moved
 * aside (the person signs in again); an entry that no longer decrypts (the keychain changed) counts as absent.
 */
export class EncryptedFileCredentialVault implements CredentialVault {
  readonly persistent = true;
  readonly notice = null;
  readonly file: string;
  readonly #cipher: SecretCipher;
  readonly #log: (message: string) => void;
  #entries: Map<string, string> | null = null;
  /** Serializes writes so two sign-ins at once cannot drop each other's entry. */
  #queue: Promise<void> = Promise.resolve();

  constructor(file: string, cipher: SecretCipher, log: (message: string) => void = (m) => console.error(m)) {
    this.file = file;
    this.#cipher = cipher;
    this.#log = log;
  }

  async get(key: string): Promise<string | null> {
    const sealed = this.#load().get(key);
    if (sealed === undefined) return null;
    try {
      return await this.#cipher.decrypt(Buffer.from(sealed, 'base64'));
    } catch {
      this.#log('[penholder] a saved sign-in could not be decrypted (the system keychain may have changed); signing in again is needed.');
      await this.delete(key);
      return null;
    }
  }

  async set(key: string, secret: string): Promise<void> {
    const sealed = Buffer.from(await this.#cipher.encrypt(secret)).toString('base64');
    await this.#write((entries) => entries.set(key, sealed));
  }

  async delete(key: string): Promise<void> {
    if (!this.#load().has(key)) return;
    await this.#write((entries) => entries.delete(key));
  }

  #write(change: (entries: Map<string, string>) => void): Promise<void> {
    const run = async (): Promise<void> => {
      const next = new Map(this.#load());
      change(next);
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      writeFileAtomic(this.file, `${JSON.stringify({ version: 1, entries: Object.fromEntries(next) })}\n`);
      // Only once on disk, so memory never claims what a restart would not find.
      this.#entries = next;
    };
    const result = this.#queue.then(run);
    this.#queue = result.catch(() => {});
    return result;
  }

  #load(): Map<string, string> {
    if (this.#entries) return this.#entries;
    let text: string | null = null;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    let entries = new Map<string, string>();
    if (text !== null) {
      let parsed: unknown = null;
      try {
        parsed = JSON.parse(text);
      } catch {
        // handled below as a damaged file
      }
      const checked = fileSchema.safeParse(parsed);
      if (checked.success) {
        entries = new Map(Object.entries(checked.data.entries));
      } else {
        const movedTo = moveAside(this.file, path.join(path.dirname(this.file), 'damaged'), Date.now());
        this.#log(`[penholder] the saved sign-ins could not be read and were moved to ${movedTo}; sign in again.`);
      }
    }
    this.#entries = entries;
    return entries;
  }
}
