import { readdir, readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { countSegments, EXTRA_TEXT_COST_SEGMENTS, markdownToSmsText, renderSmsBodies } from "../lib/text/index.ts";
import { openClawBodies, openClawText } from "./baselines/openclaw-like.ts";
import { BOUNDARY_KINDS, type BoundaryKind, boundaryKinds } from "./boundary-kinds.ts";
import { naiveRenderSmsBodies, naiveStripMarkdown } from "./naive-pipeline.ts";
import { printTable } from "./print-table.ts";

// Texts and billed SMS segments over a corpus of realistic agent replies (bench/corpus/replies/*.md): our pipeline
// beside a naive strip-and-cut one and beside one that behaves like OpenClaw's SMS channel (as is, and with Twilio's
// Smart Encoding on), with where each cut its long replies apart.

const CORPUS = new URL("./corpus/replies/", import.meta.url);

export const PIPELINES = ["ours", "naive", "openclaw", "openclaw+SE"] as const;
export type Pipeline = (typeof PIPELINES)[number];

export interface PipelineTotals {
  texts: number;
  segments: number;
  boundaries: Record<BoundaryKind, number>;
}

interface Rendered {
  text: string;
  bodies: string[];
}

/** Each pipeline's chunked text (for its boundaries) and the bodies it bills. */
function render(markdown: string): Record<Pipeline, Rendered> {
  const openclawText = openClawText(markdown);
  return {
    ours: { text: markdownToSmsText(markdown), bodies: renderSmsBodies(markdown) },
    naive: { text: naiveStripMarkdown(markdown), bodies: naiveRenderSmsBodies(markdown) },
    openclaw: { text: openclawText, bodies: openClawBodies(markdown) },
    // Smart Encoding replaces characters after the cut; the cuts are OpenClaw's, judged on its text.
    "openclaw+SE": { text: openclawText, bodies: openClawBodies(markdown, { smartEncoding: true }) },
  };
}

const sumSegments = (bodies: readonly string[]) => bodies.reduce((sum, body) => sum + countSegments(body).segments, 0);
const noBoundaries = (): Record<BoundaryKind, number> => ({ paragraph: 0, line: 0, sentence: 0, word: 0, hard: 0 });

async function measure(): Promise<{ rows: string[][]; totals: Record<Pipeline, PipelineTotals> }> {
  const names = (await readdir(CORPUS)).filter((name) => name.endsWith(".md")).sort();
  const totals = Object.fromEntries(
    PIPELINES.map((pipeline) => [pipeline, { texts: 0, segments: 0, boundaries: noBoundaries() }]),
  ) as Record<Pipeline, PipelineTotals>;
  const rows: string[][] = [];
  for (const name of names) {
    const markdown = await readFile(new URL(name, CORPUS), "utf8");
    const rendered = render(markdown);
    const row = [name.replace(/\.md$/, ""), String(rendered.ours.text.length)];
    for (const pipeline of PIPELINES) {
      const { text, bodies } = rendered[pipeline];
      const total = totals[pipeline];
      const segments = sumSegments(bodies);
      total.texts += bodies.length;
      total.segments += segments;
      // The SE variant shares OpenClaw's cuts; count them once.
      if (pipeline !== "openclaw+SE") {
        for (const kind of boundaryKinds(text, bodies)) total.boundaries[kind] += 1;
      }
      row.push(`${bodies.length}/${segments}`);
    }
    rows.push(row);
  }
  totals["openclaw+SE"].boundaries = { ...totals.openclaw.boundaries };
  return { rows, totals };
}

const percent = (part: number, whole: number) => (whole === 0 ? "-" : `${((part / whole) * 100).toFixed(0)}%`);

function printTotals(totals: Record<Pipeline, PipelineTotals>): void {
  const header = ["pipeline", "texts", "segments", "cuts", "paragraph/line/sentence", ...BOUNDARY_KINDS];
  const lines = PIPELINES.map((pipeline) => {
    const { texts, segments, boundaries } = totals[pipeline];
    const cuts = BOUNDARY_KINDS.reduce((sum, kind) => sum + boundaries[kind], 0);
    const clean = boundaries.paragraph + boundaries.line + boundaries.sentence;
    return [
      pipeline,
      String(texts),
      String(segments),
      String(cuts),
      percent(clean, cuts),
      ...BOUNDARY_KINDS.map((kind) => String(boundaries[kind])),
    ];
  });
  printTable(header, lines);
}

/** Rendering and cutting the longest reply an agent may send (about 20,000 characters) at its worst. */
function worstCaseMs(): { name: string; ms: number }[] {
  const cases: [string, string][] = [
    ["one 20,000-letter word", "a".repeat(20_000)],
    ["one 20,000-character sentence", "word ".repeat(4_000)],
    ["20,000 characters, an emoji every 100", `${"x".repeat(99)}\u{1F600}`.repeat(200).slice(0, 20_000)],
    ["a 20,000-character list of short items", Array.from({ length: 1000 }, (_, i) => `- item ${i} here`).join("\n")],
    ["a number-like run of brackets", `Options: 1${") ".repeat(9_990)}done`],
    ["1,000 reasoning blocks", "<think>x</think>ok. ".repeat(1_000)],
    ["5,000 backticks", "a`b ".repeat(5_000)],
    ["a 20,000-character code block", `\`\`\`\n${"let x = 1; // \u201Cquoted\u201D\n".repeat(800)}\`\`\``],
  ];
  return cases.map(([name, markdown]) => {
    const started = performance.now();
    renderSmsBodies(markdown);
    return { name, ms: performance.now() - started };
  });
}

export async function benchSegments(): Promise<Record<Pipeline, PipelineTotals> & { worstMs: number }> {
  const { rows, totals } = await measure();
  printTable(["reply", "chars", ...PIPELINES.map((pipeline) => `${pipeline} texts/seg`)], rows);
  console.log(`\n${rows.length} replies; an extra text must save more than ${EXTRA_TEXT_COST_SEGMENTS} segments\n`);
  printTotals(totals);
  console.log(
    "\nnaive: regex strip, cut every 1,500 characters. openclaw: OpenClaw's SMS pipeline (strip markdown, cut at " +
      "the last newline or space before 1,500 characters, no normalisation); +SE: with Twilio's Smart Encoding.\n",
  );
  const timings = worstCaseMs();
  for (const { name, ms } of timings) console.log(`render ${name}: ${ms.toFixed(1)} ms`);
  return { ...totals, worstMs: Math.max(...timings.map((timing) => timing.ms)) };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchSegments().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
