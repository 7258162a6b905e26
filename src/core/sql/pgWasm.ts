/**
 * A lean binding to libpg-query's WebAssembly parser: the same module and C entry points as the package's
 * own `parseSync`/`parsePlPgSQLSync`, with the string copies done natively.
 *
 * Why not the package's wrappers: they move text through Emscripten's JavaScript helpers, which copy the
 * SQL into the heap and search the result for its terminating NUL one byte at a time. In a short `dbe lint`
 * process (which runs without V8's optimising JIT) that glue cost about a quarter of the parse time;
 * `TextEncoder.encodeInto` and `Uint8Array.indexOf` do the same in native code. Results are identical:
 * the JSON text the parser returns is decoded the same way, and errors carry the same message and cursor.
 * Importing the package's index would also instantiate a second copy of the module at load, so it is not.
 */

/** The parts of the Emscripten module used here (names as libpg-query's own wrappers use them). */
interface PgQueryModule {
  HEAPU8: Uint8Array;
  HEAPU32: Uint32Array;
  _malloc(size: number): number;
  _free(ptr: number): void;
  _wasm_parse_query_raw(queryPtr: number): number;
  _wasm_free_parse_result(resultPtr: number): void;
  _wasm_parse_plpgsql(queryPtr: number): number;
  _wasm_free_string(ptr: number): void;
  UTF8ToString(ptr: number): string;
}

type Factory = (overrides?: { print?: (s: string) => void; printErr?: (s: string) => void }) => Promise<PgQueryModule>;
// The package ships no types for its Emscripten factory; esbuild bundles it and the .wasm sits beside the bundle.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const createModule = require('libpg-query/wasm/libpg-query.js') as Factory;

let mod: PgQueryModule | undefined;
let loading: Promise<void> | undefined;

/** Compiles and instantiates the WebAssembly once per process. */
export function loadPgWasm(): Promise<void> {
  // What the module prints (memory dumps after an out-of-memory) must never reach stdout, the CLI's output channel.
  loading ??= createModule({ print: () => {}, printErr: () => {} }).then((m) => {
    mod = m;
  });
  return loading;
}

/** The message for a statement the parser cannot take (too deep or too large); it is not a syntax error. */
export const TOO_COMPLEX = 'statement too complex to analyse (nested or repeated beyond what the parser can hold); it was not checked';

/**
 * After a fatal error inside the module (stack overflow, out of memory) its heap cannot be trusted: the next parse
 * would report "memory access out of bounds". A fresh instance replaces it; parses wait for it through loadPgWasm().
 */
function resetAfterFatal(): void {
  mod = undefined;
  loading = undefined;
  void loadPgWasm();
}

export type RawParse = { ok: true; json: string } | { ok: false; message: string; cursor: number };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function loaded(): PgQueryModule {
  if (!mod) throw new Error('libpg-query is not loaded: await ensureParser() before parsing');
  return mod;
}

/** Copies `text` into the wasm heap as NUL-terminated UTF-8; the caller frees the pointer. */
function toHeap(m: PgQueryModule, text: string): number {
  const max = text.length * 3 + 1; // UTF-8 needs at most 3 bytes per UTF-16 unit
  const ptr = m._malloc(max);
  const { written } = encoder.encodeInto(text, m.HEAPU8.subarray(ptr, ptr + max - 1));
  m.HEAPU8[ptr + written] = 0;
  return ptr;
}

/** The NUL-terminated UTF-8 string at `ptr`. Read the heap after the call: it may have grown. */
function fromHeap(m: PgQueryModule, ptr: number): string {
  const heap = m.HEAPU8;
  return decoder.decode(heap.subarray(ptr, heap.indexOf(0, ptr)));
}

/** Parses SQL to libpg-query's JSON text, or the parser's error (message, 0-based code-point cursor). */
export function parseToJson(text: string): RawParse {
  // Between a fatal error and the fresh module being ready: answer without touching the broken heap.
  if (!mod && loading) return { ok: false, message: 'the SQL parser was restarting after a statement too complex to analyse; this statement was not checked', cursor: 0 };
  const m = loaded();
  if (text === '') return { ok: false, message: 'Query cannot be empty', cursor: 0 };
  let queryPtr = 0;
  let resultPtr = 0;
  try {
    queryPtr = toHeap(m, text);
    resultPtr = m._wasm_parse_query_raw(queryPtr);
    if (!resultPtr) return { ok: false, message: 'Failed to parse query: memory allocation failed', cursor: 0 };
    // struct { char *parse_tree; char *stderr_buffer; PgQueryError *error; }
    const u32 = m.HEAPU32;
    const treePtr = u32[resultPtr >> 2]!;
    const errorPtr = u32[(resultPtr + 8) >> 2]!;
    if (errorPtr) {
      // PgQueryError { char *message; char *funcname; char *filename; int lineno; int cursorpos; … }
      const messagePtr = u32[errorPtr >> 2]!;
      const cursorpos = new Int32Array(m.HEAPU8.buffer, errorPtr + 16, 1)[0]!;
      const message = messagePtr ? m.UTF8ToString(messagePtr) : 'Unknown error';
      // The grammar's own limits (bison's stack, the parser's depth check) say nothing about the SQL being wrong.
      if (/^memory exhausted|stack depth limit exceeded/i.test(message)) return { ok: false, message: TOO_COMPLEX, cursor: 0 };
      return { ok: false, message, cursor: cursorpos > 0 ? cursorpos - 1 : 0 };
    }
    if (!treePtr) return { ok: false, message: 'No parse tree generated', cursor: 0 };
    return { ok: true, json: fromHeap(m, treePtr) };
  } catch (err) {
    // A stack overflow or out-of-memory in the module (a 10,000-branch UNION ALL): not the SQL's fault.
    if (err instanceof RangeError || (err as Error)?.name === 'RuntimeError' || /abort|out of memory/i.test(String(err))) {
      resetAfterFatal();
      queryPtr = resultPtr = 0;
      return { ok: false, message: TOO_COMPLEX, cursor: 0 };
    }
    throw err;
  } finally {
    if (queryPtr) m._free(queryPtr);
    if (resultPtr) m._wasm_free_parse_result(resultPtr);
  }
}

/** Parses a PL/pgSQL function (a whole CREATE FUNCTION statement) to JSON text; throws with the parser's message. */
export function parsePlpgsqlToJson(text: string): string {
  const m = loaded();
  const queryPtr = toHeap(m, text);
  let resultPtr = 0;
  try {
    resultPtr = m._wasm_parse_plpgsql(queryPtr);
    const out = resultPtr ? fromHeap(m, resultPtr) : '';
    if (!out.startsWith('{')) throw new Error(out);
    return out;
  } finally {
    m._free(queryPtr);
    if (resultPtr) m._wasm_free_string(resultPtr);
  }
}
