// In-memory stand-ins for VS Code's SecretStorage and globalState (Memento), for unit tests of the
// key store and the provider state. The secret storage can be switched into failing modes.
import { Emitter } from '../../src/emitter';

export type SecretStorageMode = 'works' | 'throws' | 'drops';

export class FakeSecretStorage {
  private readonly values = new Map<string, string>();
  private readonly emitter = new Emitter<{ key: string }>();
  readonly onDidChange = this.emitter.event;
  readonly calls: string[] = [];
  mode: SecretStorageMode = 'works';

  async get(key: string): Promise<string | undefined> {
    this.calls.push(`get ${key}`);
    if (this.mode === 'throws') throw new Error('Cannot decrypt: the OS keyring is locked');
    return this.values.get(key);
  }

  async store(key: string, value: string): Promise<void> {
    this.calls.push(`store ${key}`);
    if (this.mode === 'throws') throw new Error('No keyring available (org.freedesktop.secrets not provided)');
    if (this.mode === 'drops') return;
    this.values.set(key, value);
    this.emitter.fire({ key });
  }

  async delete(key: string): Promise<void> {
    this.calls.push(`delete ${key}`);
    if (this.mode === 'throws') throw new Error('keyring unavailable');
    this.values.delete(key);
    this.emitter.fire({ key });
  }

  /** Everything stored, to prove a key went nowhere else. */
  dump(): string {
    return JSON.stringify([...this.values]);
  }
}

export class FakeMemento {
  private readonly values = new Map<string, unknown>();

  get<T>(key: string, defaultValue?: T): T | undefined {
    return this.values.has(key) ? this.values.get(key) as T : defaultValue;
  }

  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.values.delete(key); else this.values.set(key, JSON.parse(JSON.stringify(value)));
  }

  dump(): string {
    return JSON.stringify([...this.values]);
  }
}
