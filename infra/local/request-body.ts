import type { IncomingMessage } from "node:http";

export type BodyRead =
  | { kind: "read"; body: Buffer }
  /** Declared or sent beyond the limit: reading stopped, the caller answers 413 and closes the connection. */
  | { kind: "too-large" }
  /** The client went away (or the request timed out) before the body was complete: nobody to answer. */
  | { kind: "aborted" };

/** Reads a request body of at most `maxBytes`, refusing a too-large Content-Length before reading anything. */
export function readRequestBody(req: IncomingMessage, maxBytes: number): Promise<BodyRead> {
  // Node's parser has already refused a Content-Length that is not a plain number.
  if (Number(req.headers["content-length"] ?? 0) > maxBytes) return Promise.resolve({ kind: "too-large" });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (result: BodyRead) => {
      req.off("data", onData).off("end", onEnd).off("error", onAbort).off("close", onAbort);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) settle({ kind: "too-large" });
      else chunks.push(chunk);
    };
    const onEnd = () => settle({ kind: "read", body: Buffer.concat(chunks) });
    const onAbort = () => settle({ kind: "aborted" });
    req.on("data", onData).on("end", onEnd).on("error", onAbort).on("close", onAbort);
  });
}

/** The body as text for a stand-in, which answers anything it cannot read as a failure of its own. */
export async function readRequestText(req: IncomingMessage, maxBytes: number): Promise<string> {
  const read = await readRequestBody(req, maxBytes);
  if (read.kind !== "read") throw new Error(read.kind === "too-large" ? "request body too large" : "request aborted");
  return read.body.toString("utf8");
}
