// The baseline the segment benchmark compares against: what a quick integration would do. It strips markdown with
// a handful of regexes, does no GSM-7 normalisation, and cuts the text every 1500 characters wherever that falls.

const NAIVE_CHUNK_CHARS = 1500;

export function naiveStripMarkdown(markdown: string): string {
  return markdown
    .replace(/^```.*$/gm, "")
    .replace(/`/g, "")
    .replace(/^#{1,6}\s+/gm, "")
    .replace(/^>\s?/gm, "")
    .replace(/!\[([^\]]*)\]\(([^)]+)\)/g, "$1 ($2)")
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, "$1 ($2)")
    .replace(/\*\*|__|\*/g, "")
    .trim();
}

export function naiveRenderSmsBodies(markdown: string): string[] {
  const text = naiveStripMarkdown(markdown);
  const bodies: string[] = [];
  for (let start = 0; start < text.length; start += NAIVE_CHUNK_CHARS) {
    bodies.push(text.slice(start, start + NAIVE_CHUNK_CHARS));
  }
  return bodies;
}
