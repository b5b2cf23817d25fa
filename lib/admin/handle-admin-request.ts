import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { AdminError, errorBody } from "./admin-error.ts";
import { addAllowed, listAllowed, removeAllowed } from "./allowlist.ts";
import { describeCapabilities } from "./capabilities.ts";
import { resetConversation, showConversation } from "./conversation.ts";
import { listDeadLetters, purgeDeadLetters, redriveDeadLetters } from "./dead-letters.ts";
import type { AdminDeps } from "./deps.ts";
import { type AdminEvent, jsonBodyOf, jsonResult, methodOf, queryOf } from "./http-event.ts";
import { approvePairing, denyPairing, listPairingRequests } from "./pairing.ts";
import { quoted } from "./quoted.ts";
import { parseRouteInput, type RouteInput } from "./request-input.ts";
import { matchRoute } from "./routes.ts";
import { sendAdminMessage } from "./send-message.ts";
import { describeStatus } from "./status.ts";
import { setWebhook } from "./webhook-set.ts";

/**
 * One admin request: match the route, validate its input, run the use-case, answer JSON. Caller mistakes are
 * 4xx with `{ error: { code, message } }`; anything unexpected is a 500 whose details go only to the log.
 */
export async function handleAdminRequest(
  event: AdminEvent,
  deps: AdminDeps,
): Promise<APIGatewayProxyStructuredResultV2> {
  const method = methodOf(event);
  const match = matchRoute(method, event.rawPath);
  try {
    if (match.kind === "not-found") {
      throw new AdminError(404, "route_not_found", `no admin route ${quoted(match.path)} (see smsctl --help)`);
    }
    if (match.kind === "method-not-allowed") {
      return jsonResult(
        405,
        errorBody(
          new AdminError(405, "method_not_allowed", `${match.path} expects ${match.allow.join(" or ")}, not ${method}`),
        ),
        { allow: match.allow.join(", ") },
      );
    }
    const body = match.route.method === "POST" ? jsonBodyOf(event) : undefined;
    const input = parseRouteInput(match.route.name, queryOf(event), body);
    const [status, result] = await run(input, deps);
    deps.log.info("admin request", { route: match.route.name, status });
    return jsonResult(status, result);
  } catch (error) {
    const route = match.kind === "route" ? match.route.name : match.path;
    if (error instanceof AdminError) {
      deps.log.info("admin request refused", { route, status: error.status, code: error.code });
      return jsonResult(error.status, errorBody(error));
    }
    deps.log.error("admin request failed", error instanceof Error ? error : { error: String(error) });
    return internalErrorResult();
  }
}

/** 500 without details: the cause may name internal resources; the operator finds it in the function's log. */
export function internalErrorResult(): APIGatewayProxyStructuredResultV2 {
  return jsonResult(500, {
    error: { code: "internal_error", message: "the admin function failed; see its log for details" },
  });
}

async function run(request: RouteInput, deps: AdminDeps): Promise<[number, unknown]> {
  switch (request.route) {
    case "pairing.list":
      return [200, await listPairingRequests(deps, request.input)];
    case "pairing.approve":
      return [200, await approvePairing(deps, request.input)];
    case "pairing.deny":
      return [200, await denyPairing(deps, request.input)];
    case "allow.list":
      return [200, await listAllowed(deps, request.input)];
    case "allow.add":
      return [200, await addAllowed(deps, request.input)];
    case "allow.remove":
      return [200, await removeAllowed(deps, request.input)];
    case "messages.send":
      return [202, await sendAdminMessage(deps, request.input)];
    case "status":
      return [200, await describeStatus(deps, request.input)];
    case "capabilities":
      return [200, describeCapabilities(deps.config)];
    case "conversation.show":
      return [200, await showConversation(deps, request.input)];
    case "conversation.reset":
      return [200, await resetConversation(deps, request.input)];
    case "dlq.list":
      return [200, await listDeadLetters(deps, request.input)];
    case "dlq.redrive":
      return [200, await redriveDeadLetters(deps, request.input)];
    case "dlq.purge":
      return [200, await purgeDeadLetters(deps, request.input)];
    case "webhook.set":
      return [200, await setWebhook(deps, request.input)];
  }
}
