/**
 * stdin for `dbe mcp`, one JSON-RPC message a line, with oversized lines dropped before the SDK sees them: its
 * stdio transport closes the whole session (without a word) when a line passes 10 MB. A dropped tools/call is
 * answered with a tool error; the session keeps serving.
 */
import { PassThrough, type Readable } from 'node:stream';

export function boundedLines(input: Readable, maxLineBytes: number, onDropped: (head: string, bytes: number) => void): PassThrough {
  const out = new PassThrough();
  let lineBytes = 0;
  let dropping = false;
  let head = '';
  input.on('data', (chunk: Buffer) => {
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(10, start);
      const end = nl === -1 ? chunk.length : nl + 1;
      const piece = chunk.subarray(start, end);
      if (!dropping) {
        if (head.length < 512) head += piece.subarray(0, 512).toString('utf8');
        if (lineBytes + piece.length > maxLineBytes) dropping = true;
        else out.write(piece);
      }
      lineBytes += piece.length;
      if (nl !== -1) {
        // The line ends here: what passed so far is the start of a line the SDK still waits to complete, so a
        // dropped line is cut short with its own newline (an unparsable line the SDK reports and skips).
        if (dropping) { out.write('\n'); onDropped(head, lineBytes); }
        lineBytes = 0;
        dropping = false;
        head = '';
      }
      start = end;
    }
  });
  input.on('end', () => out.end());
  input.on('error', (err) => out.destroy(err));
  return out;
}

/** The JSON-RPC id and method at the start of a message, if they are there. */
export function idAndMethod(head: string): { id?: string | number; method?: string } {
  const id = /"id"\s*:\s*("(?:[^"\\]|\\.)*"|-?\d+)/.exec(head)?.[1];
  const method = /"method"\s*:\s*"([^"]+)"/.exec(head)?.[1];
  return { ...(id !== undefined ? { id: JSON.parse(id) as string | number } : {}), ...(method ? { method } : {}) };
}
