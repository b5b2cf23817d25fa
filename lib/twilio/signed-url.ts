import { stripFragment } from "../config/webhook-url.ts";

export type DecodedQuery = Readonly<Record<string, readonly string[] | undefined>>;

/** One way a person or a library may have written the query string in the Twilio console. */
interface QueryStyle {
  /** Characters left raw in keys and in values; everything else is percent-encoded as UTF-8. */
  key: RegExp;
  value: RegExp;
  spaceAsPlus: boolean;
  /** `flag` rather than `flag=` for an empty value. */
  bareEmptyKeys: boolean;
}

// Minimal: only what cannot stand raw in a query component is encoded (RFC 3986 query chars minus & + # % and, in
// keys, =), so `next=/x/y`, `t=00:00:00Z` and `q=a,b` come back as written. Full: exactly encodeURIComponent.
const MINIMAL_KEY = /^[A-Za-z0-9\-._~!$'()*,;:@/?]$/;
const MINIMAL_VALUE = /^[A-Za-z0-9\-._~!$'()*,;:@/?=]$/;
const FULL = /^[A-Za-z0-9\-._~!'()*]$/;

/** Most likely first; at most 8, whatever the number of params, so the HMAC work per request stays bounded. */
const STYLES: readonly QueryStyle[] = [MINIMAL_KEY, FULL].flatMap((key) => {
  const value = key === FULL ? FULL : MINIMAL_VALUE;
  return [false, true].flatMap((bareEmptyKeys) =>
    [false, true].map((spaceAsPlus) => ({ key, value, spaceAsPlus, bareEmptyKeys })),
  );
});

/**
 * Every URL Twilio may have signed for this request, most likely first. API Gateway's REST events carry the query
 * string only decoded (`+` already turned into a space) and grouped by key, so the few common spellings of it are
 * rebuilt: each still decodes to exactly the params received, so accepting any of them admits nothing the function
 * would read differently. Interleaved repeated keys (`a=1&b=2&a=3`) cannot be rebuilt; a configured URL with its
 * own query string is the exact answer and is used alone.
 */
export function signedUrlCandidates(configuredUrl: string, query: DecodedQuery | null): string[] {
  const base = stripFragment(configuredUrl);
  if (base.includes("?")) return [base];
  const pairs = queryPairs(query);
  if (pairs.length === 0) return [base];
  const urls = new Set<string>();
  for (const style of STYLES) {
    const built = buildQuery(pairs, style);
    if (built !== null) urls.add(`${base}?${built}`);
  }
  return [...urls];
}

/** Keys in first-seen order, each key's values in the order received. */
function queryPairs(query: DecodedQuery | null): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const [key, values] of Object.entries(query ?? {})) {
    for (const value of values ?? []) pairs.push([key, value]);
  }
  return pairs;
}

function buildQuery(pairs: ReadonlyArray<[string, string]>, style: QueryStyle): string | null {
  try {
    return pairs
      .map(([key, value]) => {
        const encodedKey = encodeComponent(key, style.key, style.spaceAsPlus);
        if (value === "" && style.bareEmptyKeys) return encodedKey;
        return `${encodedKey}=${encodeComponent(value, style.value, style.spaceAsPlus)}`;
      })
      .join("&");
  } catch {
    // A lone surrogate has no UTF-8 form, so no URL Twilio called can decode to it.
    return null;
  }
}

function encodeComponent(text: string, raw: RegExp, spaceAsPlus: boolean): string {
  let out = "";
  for (const char of text) {
    if (char === " " && spaceAsPlus) out += "+";
    else out += raw.test(char) ? char : encodeURIComponent(char);
  }
  return out;
}
