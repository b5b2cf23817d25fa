/**
 * HTTP plumbing shared by the Twilio stand-in's resources: Twilio's error body, paging envelope, Basic auth and
 * date format, and writing a reply.
 */
import type { ServerResponse } from "node:http";

export const API_VERSION = "2010-04-01";
export const DEFAULT_PAGE_SIZE = 50;

export interface TwilioErrorReply {
  status: number;
  code: number;
  message: string;
}

export interface Reply {
  status: number;
  body: unknown;
  /** Drop the connection instead of answering. */
  drop?: boolean;
  /** Answer with no body, redirecting here (`body` is ignored). */
  location?: string;
  /** Answer with these bytes instead of JSON (`body` is ignored). */
  raw?: { contentType: string; data: Uint8Array; chunked: boolean };
}

export function errorReply(e: TwilioErrorReply): Reply {
  return {
    status: e.status,
    body: {
      code: e.code,
      message: e.message,
      more_info: `https://www.twilio.com/docs/errors/${e.code}`,
      status: e.status,
    },
  };
}

export function notFound(path: string): Reply {
  return errorReply({ status: 404, code: 20404, message: `The requested resource ${path} was not found` });
}

/** Twilio's paging envelope; only the filters it echoes are kept in the URIs. */
export function page(key: string, path: string, params: URLSearchParams, items: unknown[]): Record<string, unknown> {
  const pageSize = clampInt(params.get("PageSize"), DEFAULT_PAGE_SIZE, 1, 1000);
  const pageNumber = clampInt(params.get("Page"), 0, 0, Number.MAX_SAFE_INTEGER);
  const start = pageNumber * pageSize;
  const slice = items.slice(start, start + pageSize);
  const filters = new URLSearchParams(
    [...params].filter(([name]) => !["PageSize", "Page", "PageToken"].includes(name)),
  );
  const uriFor = (n: number) => {
    const query = new URLSearchParams(filters);
    query.set("PageSize", String(pageSize));
    query.set("Page", String(n));
    return `${path}?${query.toString()}`;
  };
  return {
    [key]: slice,
    end: slice.length === 0 ? start : start + slice.length - 1,
    first_page_uri: uriFor(0),
    next_page_uri: start + pageSize < items.length ? uriFor(pageNumber + 1) : null,
    page: pageNumber,
    page_size: pageSize,
    previous_page_uri: pageNumber > 0 ? uriFor(pageNumber - 1) : null,
    start,
    uri: uriFor(pageNumber),
  };
}

/** Returns the account sid whose token matches the Basic credentials, or null. */
export function authenticate(header: string | undefined, accounts: Record<string, string>): string | null {
  const encoded = /^Basic\s+(.+)$/i.exec(header ?? "")?.[1];
  if (!encoded) return null;
  const decoded = Buffer.from(encoded, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return null;
  const user = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  return Object.hasOwn(accounts, user) && accounts[user] === password ? user : null;
}

export function clampInt(value: string | null, fallback: number, min: number, max: number): number {
  const parsed = value === null ? Number.NaN : Number.parseInt(value, 10);
  return Number.isNaN(parsed) ? fallback : Math.min(max, Math.max(min, parsed));
}

/** RFC 2822 as Twilio writes it: "Thu, 24 Aug 2023 05:01:45 +0000". */
export function rfc2822(date: Date): string {
  return date.toUTCString().replace(/GMT$/, "+0000");
}

export function sendReply(res: ServerResponse, reply: Reply): void {
  if (res.writableEnded || res.destroyed) return;
  if (reply.drop) {
    res.destroy();
    return;
  }
  if (reply.location !== undefined) {
    res.writeHead(reply.status, { location: reply.location, "content-length": 0 });
    res.end();
    return;
  }
  if (reply.raw) {
    const { contentType, data, chunked } = reply.raw;
    res.writeHead(reply.status, {
      "content-type": contentType,
      ...(chunked ? {} : { "content-length": data.byteLength }),
    });
    // A write before end() keeps Node from adding a Content-Length of its own.
    if (chunked) res.write(data);
    res.end(chunked ? undefined : data);
    return;
  }
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

export function groupParams(params: URLSearchParams): Record<string, string[]> {
  const grouped: Record<string, string[]> = {};
  for (const [name, value] of params) grouped[name] = [...(grouped[name] ?? []), value];
  return grouped;
}

export function methodNotAllowed(): Reply {
  return errorReply({ status: 405, code: 20004, message: "Method not allowed" });
}

export function unauthenticated(): Reply {
  return errorReply({ status: 401, code: 20003, message: "Authenticate" });
}
