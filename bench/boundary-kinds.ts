// Where each pipeline cut a reply between two texts, judged the same way for all of them from the text it chunked:
// the whitespace the cut removed (and any left at a body's edge) says paragraph (a blank line), line (a newline) or
// sentence (a space after ., ! or ?); a space anywhere else is a word cut, no whitespace at all a cut inside a word.

export type BoundaryKind = "paragraph" | "line" | "sentence" | "word" | "hard";

export const BOUNDARY_KINDS: readonly BoundaryKind[] = ["paragraph", "line", "sentence", "word", "hard"];

const SENTENCE_END = /[.!?\u2026]["'\u201D\u2019)\]]*$/u;

/** The kind of each boundary between consecutive bodies, which must appear in `text` in order. */
export function boundaryKinds(text: string, bodies: readonly string[]): BoundaryKind[] {
  const kinds: BoundaryKind[] = [];
  let cursor = 0;
  let previousEnd = -1;
  for (const body of bodies) {
    const at = text.indexOf(body, cursor);
    if (at < 0)
      throw new Error(`a body is not in the text after position ${cursor}: ${JSON.stringify(body.slice(0, 40))}`);
    if (previousEnd >= 0) kinds.push(kindOf(text, previousEnd, at));
    cursor = at + body.length;
    previousEnd = cursor;
  }
  return kinds;
}

function kindOf(text: string, end: number, next: number): BoundaryKind {
  let start = end;
  while (start > 0 && /\s/u.test(text.charAt(start - 1))) start -= 1;
  let stop = next;
  while (stop < text.length && /\s/u.test(text.charAt(stop))) stop += 1;
  const gap = text.slice(start, stop);
  const newlines = gap.split("\n").length - 1;
  if (newlines >= 2) return "paragraph";
  if (newlines === 1) return "line";
  if (gap === "") return "hard";
  return SENTENCE_END.test(text.slice(Math.max(0, start - 4), start)) ? "sentence" : "word";
}
