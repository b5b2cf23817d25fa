/**
 * `/a/b///` -> `/a/b`, `///` -> `/`. A loop rather than `replace(/\/+$/, "")`, which takes quadratic time on a
 * long run of slashes that does not end the path (a 16 KB request target of them costs a third of a second).
 * The local gateway matches webhook paths with it too.
 */
export function trimTrailingSlashes(path: string): string {
  let end = path.length;
  while (end > 0 && path[end - 1] === "/") end--;
  return end === 0 ? "/" : path.slice(0, end);
}
