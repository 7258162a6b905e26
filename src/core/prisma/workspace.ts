import { createHash } from 'node:crypto';
import { parsePrismaFile, type PrismaFile } from './parse';

/** The workspace's .prisma files, re-parsed only when their text changes. */
export class PrismaFiles {
  private readonly files = new Map<string, { hash: string; parsed: PrismaFile }>();

  /** Returns false when the text is unchanged. */
  set(path: string, text: string): boolean {
    const hash = createHash('sha1').update(text).digest('hex');
    if (this.files.get(path)?.hash === hash) return false;
    this.files.set(path, { hash, parsed: parsePrismaFile(path, text) });
    return true;
  }

  remove(path: string): boolean {
    return this.files.delete(path);
  }

  has(path: string): boolean {
    return this.files.has(path);
  }

  get(path: string): PrismaFile | undefined {
    return this.files.get(path)?.parsed;
  }

  paths(): string[] {
    return [...this.files.keys()].sort();
  }

  all(): PrismaFile[] {
    return this.paths().map((p) => this.files.get(p)!.parsed);
  }
}
