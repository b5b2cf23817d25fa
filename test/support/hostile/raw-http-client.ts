import { connect } from "node:net";
import { type ParsedResponse, parseResponses } from "./http-response-parser.ts";

export type RawOutcome =
  /** Every expected response arrived and parsed. */
  | { kind: "answered"; responses: ParsedResponse[] }
  /** The server closed (or reset) the connection first; `responses` holds what did arrive. */
  | { kind: "closed"; responses: ParsedResponse[] }
  /** The server sent bytes that are not an HTTP response. */
  | { kind: "invalid"; responses: ParsedResponse[]; problem: string }
  /** Nothing decisive within `stallMs`: turned into a readable failure instead of a hung test. */
  | { kind: "stalled"; responses: ParsedResponse[] };

export interface ExchangeOptions {
  /** One entry per expected response: true when that request was a HEAD (its response has no body). */
  heads: readonly boolean[];
  /** Half-close after writing, so a server waiting for the rest of a cut-short request sees the end of it. */
  halfClose: boolean;
  stallMs: number;
}

/** Writes `bytes` on a fresh TCP connection and reads the responses back without any HTTP library in between. */
export function exchange(port: number, bytes: Buffer, options: ExchangeOptions): Promise<RawOutcome> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1" });
    let data = Buffer.alloc(0);
    let settled = false;
    const finish = (outcome: RawOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const inspect = (closed: boolean) => {
      const parsed = parseResponses(data, options.heads, closed);
      if (parsed.state === "complete") return finish({ kind: "answered", responses: parsed.responses });
      if (parsed.state === "invalid") {
        return finish({ kind: "invalid", responses: parsed.responses, problem: parsed.problem ?? "" });
      }
      if (closed) finish({ kind: "closed", responses: parsed.responses });
    };
    const timer = setTimeout(() => {
      finish({ kind: "stalled", responses: parseResponses(data, options.heads, false).responses });
    }, options.stallMs);
    socket.on("connect", () => {
      socket.write(bytes);
      if (options.halfClose) socket.end();
    });
    socket.on("data", (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      inspect(false);
    });
    // A reset while we were still writing (the server refused early) ends the exchange like a close.
    socket.on("error", () => inspect(true));
    socket.on("close", () => inspect(true));
  });
}
