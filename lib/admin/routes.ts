import { trimTrailingSlashes } from "./trailing-slashes.ts";

/** The admin API's routes: pure matching of method and path, so 404 and 405 are decided before any I/O. */

export type RouteName =
  | "pairing.list"
  | "pairing.approve"
  | "pairing.deny"
  | "allow.list"
  | "allow.add"
  | "allow.remove"
  | "messages.send"
  | "status"
  | "capabilities"
  | "conversation.show"
  | "conversation.reset"
  | "dlq.list"
  | "dlq.redrive"
  | "dlq.purge"
  | "webhook.set";

export type HttpMethod = "GET" | "POST";

export interface RouteDefinition {
  name: RouteName;
  method: HttpMethod;
  path: string;
}

export const ROUTES: readonly RouteDefinition[] = [
  { name: "pairing.list", method: "GET", path: "/pairing" },
  { name: "pairing.approve", method: "POST", path: "/pairing/approve" },
  { name: "pairing.deny", method: "POST", path: "/pairing/deny" },
  { name: "allow.list", method: "GET", path: "/allow" },
  { name: "allow.add", method: "POST", path: "/allow/add" },
  { name: "allow.remove", method: "POST", path: "/allow/remove" },
  { name: "messages.send", method: "POST", path: "/messages" },
  { name: "status", method: "GET", path: "/status" },
  { name: "capabilities", method: "GET", path: "/capabilities" },
  { name: "conversation.show", method: "GET", path: "/conversation" },
  { name: "conversation.reset", method: "POST", path: "/conversation/reset" },
  { name: "dlq.list", method: "GET", path: "/dlq" },
  { name: "dlq.redrive", method: "POST", path: "/dlq/redrive" },
  { name: "dlq.purge", method: "POST", path: "/dlq/purge" },
  { name: "webhook.set", method: "POST", path: "/webhook" },
];

export type RouteMatch =
  | { kind: "route"; route: RouteDefinition }
  | { kind: "not-found"; path: string }
  | { kind: "method-not-allowed"; path: string; allow: HttpMethod[] };

/** A trailing slash is forgiven (`/pairing/` is `/pairing`); the method must match exactly (HEAD is not GET). */
export function matchRoute(method: string, rawPath: string): RouteMatch {
  const path = normalisePath(rawPath);
  const candidates = ROUTES.filter((route) => route.path === path);
  if (candidates.length === 0) return { kind: "not-found", path };
  const route = candidates.find((candidate) => candidate.method === method.toUpperCase());
  if (route) return { kind: "route", route };
  return { kind: "method-not-allowed", path, allow: candidates.map((candidate) => candidate.method) };
}

function normalisePath(rawPath: string): string {
  return trimTrailingSlashes(rawPath.split("?")[0] ?? "");
}
