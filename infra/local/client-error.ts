import { maxHeaderSize, STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";

/** An error from Node's HTTP parser or its timeouts; llhttp says what it disliked in `reason`. */
type ParserError = Error & { code?: string; reason?: string };

const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  HPE_HEADER_OVERFLOW: 431,
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 413,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
};

/** The 4xx for bytes Node could not take as an HTTP request, naming the problem (never a 5xx: the input was bad). */
function clientErrorAnswer(error: ParserError): { status: number; message: string } {
  const status = STATUS_BY_CODE[error.code ?? ""] ?? 400;
  if (status === 431) return { status, message: `request headers: too large (at most ${maxHeaderSize} bytes in all)` };
  if (status === 408) return { status, message: "request: not received in time; the connection is closed" };
  const reason = error.reason ?? error.message.replace(/^Parse Error: /, "");
  return { status, message: `malformed HTTP request: ${reason} (${error.code ?? "unknown"})` };
}

/**
 * Answers a request Node's parser refused and closes the connection, as Node's own default does, but with a body
 * that says why. Nothing is written once a response on this connection has started, so no answer is corrupted.
 */
export function refuseMalformed(error: ParserError, socket: Duplex, responseStarted: boolean): number | undefined {
  if (error.code === "ECONNRESET" || !socket.writable || responseStarted) {
    socket.destroy();
    return undefined;
  }
  const { status, message } = clientErrorAnswer(error);
  answerAndClose(socket, status, message);
  return status;
}

/** Writes a complete plain-text response straight to the socket (no ServerResponse exists), then closes it. */
export function answerAndClose(socket: Duplex, status: number, message: string, headers: string[] = []): void {
  const body = Buffer.from(`${message}\n`);
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
    "content-type: text/plain; charset=utf-8",
    `content-length: ${body.length}`,
    "connection: close",
    ...headers,
  ];
  socket.end(Buffer.concat([Buffer.from(`${head.join("\r\n")}\r\n\r\n`), body]), () => socket.destroy());
}
