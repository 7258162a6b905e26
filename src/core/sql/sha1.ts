import { createHash, hash } from 'node:crypto';

// Named imports, read when first called: `dbe lint`'s bundle requires node:crypto only then (see scripts/build.mjs).
// crypto.hash (Node >= 20.12) hashes without building a Hash object: about 2.5x cheaper for the thousands of
// short statement texts a lint run keys its caches by; older Node versions lack it.

/** SHA-1 of a string's UTF-8 bytes. */
export function sha1(data: string, encoding: 'base64' | 'hex'): string {
  return typeof hash === 'function' ? hash('sha1', data, encoding) : createHash('sha1').update(data).digest(encoding);
}
