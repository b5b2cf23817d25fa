import { describe, expect, it } from "vitest";
import { renderReply } from "../../../lib/text/index.ts";
import { renderMarkdown } from "../../../lib/text/markdown-to-text.ts";
import { normaliseForSms } from "../../../lib/text/normalise.ts";
import { seededRandom } from "../../support/seeded-random.ts";

type Random = ReturnType<typeof seededRandom>;
interface Range {
  start: number;
  end: number;
}

const WORDS = [
  "the",
  "train",
  "leaves",
  "from",
  "platform",
  "at",
  "noon",
  "bring",
  "water",
  "and",
  "a",
  "map",
  "Kyoto",
];

function words(random: Random, count: number): string {
  return Array.from({ length: count }, () => WORDS[random.int(0, WORDS.length - 1)]).join(" ");
}

/** A sentence with, now and then, a number in groups, a link, a bare URL, inline code or an emoji. */
function sentence(random: Random): string {
  const parts = [words(random, random.int(3, random.next() < 0.1 ? 90 : 14))];
  const extra = random.weighted([
    ["", 6],
    ["costs 10 000 yen", 1],
    [`see [the ${words(random, random.int(1, 6))}](https://example.com/guide/${random.int(1, 99)})`, 2],
    [`at https://example.org/a/${random.int(100, 999)}/b`, 1],
    ["run `npm run build --watch` first", 1],
    ["🙂", 1],
  ]);
  if (extra) parts.splice(random.int(0, 1), 0, extra);
  return `${parts.join(" ")}${random.weighted([
    [".", 6],
    ["!", 1],
    ["?", 1],
  ])}`;
}

function block(random: Random): string {
  switch (
    random.weighted([
      ["paragraph", 5],
      ["list", 2],
      ["tasks", 1],
      ["numbered", 1],
      ["code", 1],
      ["heading", 1],
    ] as const)
  ) {
    case "paragraph":
      return Array.from({ length: random.int(1, 6) }, () => sentence(random)).join(" ");
    case "list":
      return Array.from({ length: random.int(2, 8) }, () => `- ${sentence(random)}`).join("\n");
    case "tasks":
      return Array.from({ length: random.int(2, 8) }, (_, i) => `- [${i % 3 ? " " : "x"}] ${words(random, 4)}`).join(
        "\n",
      );
    case "numbered":
      return Array.from({ length: random.int(2, 8) }, (_, i) => `${i + 1}. ${sentence(random)}`).join("\n");
    case "code":
      return `\`\`\`\n${Array.from({ length: random.int(2, 12) }, (_, i) => `${"  ".repeat(i % 3)}value = compute(${i}, "x y z")`).join("\n")}\n\`\`\``;
    case "heading":
      return `## ${words(random, random.int(1, 4))}`;
  }
}

function markdown(random: Random): string {
  return Array.from({ length: random.int(1, 12) }, () => block(random)).join("\n\n");
}

function matches(text: string, re: RegExp): Range[] {
  return Array.from(text.matchAll(re), (match) => ({ start: match.index, end: match.index + match[0].length }));
}

/** Where a cut may never fall (when the stretch fits a body), found independently of the chunker. */
function protectedRanges(text: string, code: readonly Range[], keep: readonly Range[]): Range[] {
  const codeLines = code.flatMap((range) => {
    let at = range.start;
    return text
      .slice(range.start, range.end)
      .split("\n")
      .map((line) => {
        const lineRange = { start: at, end: at + line.trimEnd().length };
        at += line.length + 1;
        return lineRange;
      });
  });
  return [
    ...matches(text, /https?:\/\/\S+/gu),
    ...keep,
    ...matches(text, /^ *(?:-|\d+\.) (?:\[[ x]\] )?/gmu),
    ...codeLines,
    ...matches(text, /\d \d/gu),
  ];
}

/** Clean boundaries: whitespace runs with a newline, or after a sentence's end mark. */
function cleanBoundaries(text: string): number[] {
  return matches(text, /\s+/gu)
    .filter((run) => text.slice(run.start, run.end).includes("\n") || /[.!?]["')\]]*$/u.test(text.slice(0, run.start)))
    .map((run) => run.start);
}

describe("where texts split, over generated markdown", () => {
  it("every boundary is clean unless its sentence or word is longer than a body; nothing lost or reordered", () => {
    const random = seededRandom(20261202);
    let boundaries = 0;
    let clean = 0;
    for (let run = 0; run < 400; run += 1) {
      const md = markdown(random);
      const limit = random.weighted([
        [120, 1],
        [160, 2],
        [300, 2],
        [700, 1],
        [1600, 2],
      ]);
      const rendered = renderMarkdown(md, { prose: normaliseForSms });
      const text = rendered.text;
      const { bodies } = renderReply(md, { chunkLimit: limit });
      const context = `seed run ${run}, limit ${limit}:\n${md}`;

      // In order, nothing lost: each body is the next stretch of the text, with only whitespace between.
      let at = 0;
      const cuts: Array<{ at: number; gap: string }> = [];
      for (const [index, body] of bodies.entries()) {
        expect(body.length, context).toBeLessThanOrEqual(limit);
        const found = text.indexOf(body, at);
        expect(found, context).toBeGreaterThanOrEqual(0);
        expect(text.slice(at, found).trim(), context).toBe("");
        if (index > 0) cuts.push({ at, gap: text.slice(at, found) });
        at = found + body.length;
      }
      expect(text.slice(at).trim(), context).toBe("");

      const forbidden = protectedRanges(text, rendered.code, rendered.keep).filter(
        (range) => range.end - range.start <= limit,
      );
      // A list marker's "1." ends no sentence: boundaries inside what must stay whole do not count.
      const clean_ = cleanBoundaries(text).filter(
        (position) => !forbidden.some((range) => range.start < position && position < range.end),
      );
      for (const cut of cuts) {
        boundaries += 1;
        const where = `${context}\n-- cut at ${cut.at}: …${text.slice(cut.at - 30, cut.at)}|${text.slice(cut.at, cut.at + 30)}…`;
        expect(
          forbidden.some((range) => range.start < cut.at && cut.at < range.end),
          where,
        ).toBe(false);
        if (clean_.includes(cut.at)) {
          clean += 1;
          continue;
        }
        // A word (or hard) cut: its sentence, from the clean boundary before to the one after, exceeds a body.
        const before = Math.max(0, ...clean_.filter((position) => position < cut.at));
        const after = Math.min(text.length, ...clean_.filter((position) => position > cut.at));
        expect(after - before, where).toBeGreaterThan(limit);
        if (cut.gap === "") {
          const word = /\S*$/u.exec(text.slice(0, cut.at))?.[0].length ?? 0;
          const rest = /^\S*/u.exec(text.slice(cut.at))?.[0].length ?? 0;
          expect(word + rest, where).toBeGreaterThan(limit);
        }
      }
    }
    // The generator makes long sentences and small limits often enough that some cuts are not clean.
    expect(boundaries).toBeGreaterThan(500);
    expect(clean).toBeLessThan(boundaries);
  });
});
