import { readdir, readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { countSegments, markdownToSmsText, renderSmsBodies } from "../lib/text/index.ts";
import { CAPACITY } from "../lib/text/segments.ts";
import { naiveRenderSmsBodies } from "./naive-pipeline.ts";
import { printTable } from "./print-table.ts";

// Billed SMS segments over a corpus of realistic agent replies (bench/corpus/replies/*.md): our pipeline against
// the lower bound for our own normalised text and against a naive strip-and-cut pipeline.

const CORPUS = new URL("./corpus/replies/", import.meta.url);

interface Row {
  name: string;
  chars: number;
  encoding: string;
  chunks: number;
  ours: number;
  lowerBound: number;
  naive: number;
}

const sumSegments = (bodies: readonly string[]) => bodies.reduce((sum, body) => sum + countSegments(body).segments, 0);

/** ceil(units / capacity) for the whole normalised reply as one message: 160/70 if it fits one SMS, else 153/67. */
function lowerBound(text: string): number {
  const { encoding, units } = countSegments(text);
  if (units === 0) return 0;
  const capacity = CAPACITY[encoding];
  return units <= capacity.single ? 1 : Math.ceil(units / capacity.part);
}

async function measure(): Promise<Row[]> {
  const names = (await readdir(CORPUS)).filter((name) => name.endsWith(".md")).sort();
  const rows: Row[] = [];
  for (const name of names) {
    const markdown = await readFile(new URL(name, CORPUS), "utf8");
    // The very text renderSmsBodies chunks, so the bound prices the same characters.
    const plain = markdownToSmsText(markdown);
    const bodies = renderSmsBodies(markdown);
    rows.push({
      name: name.replace(/\.md$/, ""),
      chars: plain.length,
      encoding: countSegments(plain).encoding,
      chunks: bodies.length,
      ours: sumSegments(bodies),
      lowerBound: lowerBound(plain),
      naive: sumSegments(naiveRenderSmsBodies(markdown)),
    });
  }
  return rows;
}

function printRows(rows: readonly Row[], totals: { ours: number; lowerBound: number; naive: number }): void {
  const header = ["reply", "chars", "encoding", "chunks", "ours", "lower bound", "naive"];
  const lines = rows.map((row) => [
    row.name,
    String(row.chars),
    row.encoding,
    String(row.chunks),
    String(row.ours),
    String(row.lowerBound),
    String(row.naive),
  ]);
  const total = ["TOTAL", "", "", "", String(totals.ours), String(totals.lowerBound), String(totals.naive)];
  printTable(header, [...lines, total]);
  const versusBound = (totals.ours / totals.lowerBound - 1) * 100;
  const saved = (1 - totals.ours / totals.naive) * 100;
  const above = rows.filter((row) => row.ours > row.lowerBound).length;
  const below = rows.filter((row) => row.ours < row.lowerBound).length;
  console.log(`\n${rows.length} replies, ${rows.filter((row) => row.chars > 1600).length} longer than 1600 characters`);
  console.log(
    `ours / lower bound: ${(totals.ours / totals.lowerBound).toFixed(3)} ` +
      `(${Math.abs(versusBound).toFixed(1)}% ${versusBound > 0 ? "above" : "below"}; goal: at most 3% above)`,
  );
  console.log(
    `  ${above} replies above their bound, ${below} below it (long replies whose emoji chunks are sent apart ` +
      "so the other chunks stay GSM-7; the bound prices the whole reply in one encoding)",
  );
  console.log(
    `ours / naive:       ${(totals.ours / totals.naive).toFixed(3)} (${saved.toFixed(1)}% fewer; goal >= 25%)`,
  );
}

export async function benchSegments(): Promise<{ ours: number; lowerBound: number; naive: number }> {
  const rows = await measure();
  const totals = {
    ours: rows.reduce((sum, row) => sum + row.ours, 0),
    lowerBound: rows.reduce((sum, row) => sum + row.lowerBound, 0),
    naive: rows.reduce((sum, row) => sum + row.naive, 0),
  };
  printRows(rows, totals);
  return totals;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchSegments().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
