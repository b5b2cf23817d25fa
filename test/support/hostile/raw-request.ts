/**
 * An HTTP/1.1 request spelled out byte for byte, so nothing between the test and the server can normalise it.
 * Strings here are "binary strings": each character code is one byte (0-255), see `bytesOf`.
 */
export interface RawRequest {
  method: string;
  target: string;
  /** Default "HTTP/1.1". */
  version?: string;
  /** Whole header lines, in order (so a line may be malformed); Content-Length / Transfer-Encoding come from `framing`. */
  headers: string[];
  body: Buffer;
  /** "length" adds Content-Length, "chunked" encodes the body in chunks, "none" sends the body bare. */
  framing: "length" | "chunked" | "none";
}

/** UTF-8 text as a binary string, for targets and header values that should carry real UTF-8. */
export function bytesOf(text: string): string {
  return Buffer.from(text, "utf8").toString("latin1");
}

export function serialiseRequest(request: RawRequest): Buffer {
  const lines = [`${request.method} ${request.target} ${request.version ?? "HTTP/1.1"}`];
  lines.push(...request.headers);
  if (request.framing === "length") lines.push(`Content-Length: ${request.body.length}`);
  if (request.framing === "chunked") lines.push("Transfer-Encoding: chunked");
  const head = Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "latin1");
  return Buffer.concat([head, request.framing === "chunked" ? chunked(request.body) : request.body]);
}

/** The body in chunks of up to 1000 bytes, then the last-chunk marker. */
function chunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let offset = 0; offset < body.length; offset += 1000) {
    const piece = body.subarray(offset, offset + 1000);
    parts.push(Buffer.from(`${piece.length.toString(16)}\r\n`, "latin1"), piece, Buffer.from("\r\n", "latin1"));
  }
  parts.push(Buffer.from("0\r\n\r\n", "latin1"));
  return Buffer.concat(parts);
}
