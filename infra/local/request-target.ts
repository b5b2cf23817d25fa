import { quoted } from "../../lib/admin/quoted.ts";

/**
 * Paths are resolved on this fixed origin, never on the Host header: nothing the gateway does depends on Host (the
 * webhook signature is checked against the configured URL), so a malformed Host cannot break a request.
 */
const ORIGIN = "http://localhost";

export type TargetParse = { ok: true; url: URL } | { ok: false; problem: string };

/**
 * The request target as a URL. Only origin-form (`/path?query`) names something this gateway serves; absolute-form
 * (`http://host/path`), `*` and anything else are refused with a message saying what was expected.
 */
export function parseRequestTarget(target: string): TargetParse {
  if (target.startsWith("/")) {
    try {
      // Appended, not resolved: `//x/y` stays the path `//x/y` instead of becoming host `x`.
      return { ok: true, url: new URL(`${ORIGIN}${target}`) };
    } catch {
      // Falls through to the refusal below.
    }
  }
  return { ok: false, problem: `request target: expected a path such as /webhooks/sms, got ${quoted(target)}` };
}
