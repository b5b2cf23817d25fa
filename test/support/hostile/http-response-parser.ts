/** One HTTP/1.x response as read off the socket. */
export interface ParsedResponse {
  status: number;
  headers: Array<[string, string]>;
  body: Buffer;
}

export interface ParseResult {
  responses: ParsedResponse[];
  /** "complete": every expected response was read; "incomplete": more bytes needed; "invalid": not HTTP. */
  state: "complete" | "incomplete" | "invalid";
  /** For "invalid": what could not be parsed. */
  problem?: string;
}

const STATUS_LINE = /^HTTP\/1\.[01] (\d{3})(?: .*)?$/;

/**
 * Parses the responses to `heads.length` requests (true = HEAD: no body), skipping interim 1xx responses. With
 * `closed`, a response without Content-Length or chunking ends at the end of the data (close-delimited).
 */
export function parseResponses(data: Buffer, heads: readonly boolean[], closed: boolean): ParseResult {
  const responses: ParsedResponse[] = [];
  let offset = 0;
  while (responses.length < heads.length) {
    const headEnd = data.indexOf("\r\n\r\n", offset, "latin1");
    if (headEnd < 0) return incompleteOrInvalid(data, offset, responses);
    const [statusLine = "", ...headerLines] = data.subarray(offset, headEnd).toString("latin1").split("\r\n");
    const status = STATUS_LINE.exec(statusLine);
    if (!status) return { responses, state: "invalid", problem: `status line ${JSON.stringify(statusLine)}` };
    const headers = headerLines.map((line): [string, string] => {
      const colon = line.indexOf(":");
      return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()];
    });
    if (headers.some(([name]) => name === "")) return { responses, state: "invalid", problem: "header line" };
    const code = Number(status[1]);
    const bodyStart = headEnd + 4;
    if (code >= 100 && code < 200) {
      offset = bodyStart;
      continue;
    }
    const noBody = heads[responses.length] === true || code === 204 || code === 304;
    const body = noBody ? { body: Buffer.alloc(0), end: bodyStart } : readBody(data, bodyStart, headers, closed);
    if (body === "incomplete") return { responses, state: "incomplete" };
    if (body === "invalid") return { responses, state: "invalid", problem: "body framing" };
    responses.push({ status: code, headers, body: body.body });
    offset = body.end;
  }
  return { responses, state: "complete" };
}

function incompleteOrInvalid(data: Buffer, offset: number, responses: ParsedResponse[]): ParseResult {
  const start = data.subarray(offset, offset + 5).toString("latin1");
  if ("HTTP/".startsWith(start) || start.startsWith("HTTP/")) return { responses, state: "incomplete" };
  return { responses, state: "invalid", problem: `bytes ${JSON.stringify(start)}` };
}

type BodyRead = { body: Buffer; end: number } | "incomplete" | "invalid";

function readBody(data: Buffer, start: number, headers: Array<[string, string]>, closed: boolean): BodyRead {
  const header = (name: string) => headers.find(([key]) => key === name)?.[1];
  if (header("transfer-encoding")?.toLowerCase() === "chunked") return readChunks(data, start);
  const length = header("content-length");
  if (length !== undefined) {
    if (!/^\d+$/.test(length)) return "invalid";
    const end = start + Number(length);
    return end <= data.length ? { body: data.subarray(start, end), end } : "incomplete";
  }
  return closed ? { body: data.subarray(start), end: data.length } : "incomplete";
}

function readChunks(data: Buffer, start: number): BodyRead {
  const parts: Buffer[] = [];
  let offset = start;
  for (;;) {
    const lineEnd = data.indexOf("\r\n", offset, "latin1");
    if (lineEnd < 0) return "incomplete";
    const size = Number.parseInt(data.subarray(offset, lineEnd).toString("latin1").split(";")[0] ?? "", 16);
    if (Number.isNaN(size)) return "invalid";
    if (size === 0) {
      // No trailers from our server: the last chunk is followed by an empty line.
      const end = lineEnd + 4;
      return end <= data.length ? { body: Buffer.concat(parts), end } : "incomplete";
    }
    const chunkEnd = lineEnd + 2 + size;
    if (chunkEnd + 2 > data.length) return "incomplete";
    parts.push(data.subarray(lineEnd + 2, chunkEnd));
    offset = chunkEnd + 2;
  }
}
