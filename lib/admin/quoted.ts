/** Longest caller value echoed back in a message; the rest is cut so a 16 KB value does not fill the answer. */
const SHOWN_CHARS = 80;

/**
 * A caller's value as it appears in an error message: quoted, control characters escaped, long values cut. The
 * local gateway quotes a refused request target the same way.
 */
export function quoted(value: string): string {
  return value.length > SHOWN_CHARS
    ? `${JSON.stringify(value.slice(0, SHOWN_CHARS))}… (${value.length} characters)`
    : JSON.stringify(value);
}
