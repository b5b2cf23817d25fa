import { describe, expect, it } from "vitest";
import {
  chunkForSms,
  EXTRA_TEXT_COST_SEGMENTS,
  MAX_TWILIO_BODY_CHARS,
  MID_PARAGRAPH_CUT_COST_SEGMENTS,
} from "../../../lib/text/chunk.ts";
import { countSegments } from "../../../lib/text/segments.ts";

const totalSegments = (chunks: readonly string[]) =>
  chunks.reduce((sum, chunk) => sum + countSegments(chunk).segments, 0);
const words = (text: string) => text.split(/\s+/).filter(Boolean);

/** n words of `width` letters each, separated by single spaces (deterministic). */
function prose(count: number, width = 4, seed = 0): string {
  return Array.from({ length: count }, (_, index) =>
    String.fromCharCode(97 + ((index + seed) % 26)).repeat(width),
  ).join(" ");
}

describe("chunkForSms: basics", () => {
  it("returns a text that fits as one trimmed chunk", () => {
    expect(chunkForSms("  hello there \n")).toEqual(["hello there"]);
    expect(chunkForSms("x".repeat(1600))).toEqual(["x".repeat(1600)]);
  });

  it("returns no chunk for empty or blank text", () => {
    expect(chunkForSms("")).toEqual([]);
    expect(chunkForSms(" \n\n \t")).toEqual([]);
  });

  it("exposes Twilio's body limit", () => {
    expect(MAX_TWILIO_BODY_CHARS).toBe(1600);
  });

  it("keeps every chunk within 1600 characters, non-empty, trimmed, in order, losing no word", () => {
    const text = Array.from({ length: 12 }, (_, i) => prose(90 + i * 7, 5, i)).join("\n\n");
    const chunks = chunkForSms(text);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(chunk.length).toBeGreaterThan(0);
      expect(chunk.length).toBeLessThanOrEqual(1600);
      expect(chunk).toBe(chunk.trim());
    }
    expect(words(chunks.join(" "))).toEqual(words(text));
  });

  it("is deterministic", () => {
    const text = `${prose(300, 6)}\n\n${"Привет мир ".repeat(150)}\n\n${"😀 ".repeat(400)}`;
    const first = chunkForSms(text, { chunkLimit: 700 });
    for (let run = 0; run < 3; run += 1) expect(chunkForSms(text, { chunkLimit: 700 })).toEqual(first);
  });
});

describe("chunkForSms: chunkLimit", () => {
  it("honours a smaller limit", () => {
    const text = prose(400, 5);
    const chunks = chunkForSms(text, { chunkLimit: 200 });
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(200);
    expect(words(chunks.join(" "))).toEqual(words(text));
  });

  it("caps a limit above Twilio's at 1600", () => {
    const chunks = chunkForSms(prose(1000, 5), { chunkLimit: 5000 });
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(1600);
  });

  it("rejects a limit that cannot hold a character", () => {
    expect(() => chunkForSms("hello", { chunkLimit: 1 })).toThrow(RangeError);
    expect(() => chunkForSms("hello", { chunkLimit: Number.NaN })).toThrow(RangeError);
    expect(() => chunkForSms("hello", { chunkLimit: 0 })).toThrow(RangeError);
  });
});

describe("chunkForSms: where it cuts", () => {
  it("prefers a paragraph break when it bills no more", () => {
    const first = prose(200, 4); // 999 chars
    const second = prose(200, 4, 3);
    const chunks = chunkForSms(`${first}\n\n${second}`);
    expect(chunks).toEqual([first, second]);
  });

  it("prefers a line break over a word break, and a sentence end over a word break", () => {
    const lineA = prose(200, 4);
    const lineB = prose(200, 4, 5);
    expect(chunkForSms(`${lineA}\n${lineB}`)).toEqual([lineA, lineB]);
    const sentenceA = `${prose(199, 4)} end.`;
    const sentenceB = prose(200, 4, 7);
    expect(chunkForSms(`${sentenceA} ${sentenceB}`)).toEqual([sentenceA, sentenceB]);
  });

  it("never cuts inside a URL", () => {
    const url = `https://example.com/${"path/".repeat(12)}file.html?query=value&other=1`;
    const text = `${prose(18, 4)} ${url} ${prose(18, 4, 2)}`;
    const chunks = chunkForSms(text, { chunkLimit: 120 });
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.some((chunk) => chunk.includes(url))).toBe(true);
  });

  it("keeps a URL inside a longer run without spaces whole", () => {
    const url = `https://example.com/${"a".repeat(60)}`;
    const run = `${"x".repeat(100)}(${url})${"y".repeat(100)}`;
    const chunks = chunkForSms(run, { chunkLimit: 100 });
    expect(chunks.join("")).toBe(run);
    expect(chunks.some((chunk) => chunk.includes(url))).toBe(true);
  });

  it("hard-splits a single word or URL only when it alone exceeds the limit", () => {
    const url = `https://example.com/${"x".repeat(300)}`;
    const chunks = chunkForSms(`see ${url} ok`, { chunkLimit: 100 });
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(100);
    expect(chunks.join("").replace(/\s/g, "")).toBe(`see${url}ok`);
  });

  it("never cuts a surrogate pair, even in an overlong run of emoji", () => {
    const text = "😀".repeat(1000);
    const chunks = chunkForSms(text);
    expect(chunks.join("")).toBe(text);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(1600);
      expect(chunk.charCodeAt(0)).not.toBeGreaterThanOrEqual(0xdc00);
      const last = chunk.charCodeAt(chunk.length - 1);
      expect(last >= 0xd800 && last <= 0xdbff).toBe(false);
    }
    // 33 emoji fill a 67-unit part; 1000 emoji need 31 parts, which 792 + 208 emoji achieve.
    expect(totalSegments(chunks)).toBe(31);
  });

  it("hard-splits a long run without spaces (its speed is measured in npm run bench)", () => {
    const run = `${"x".repeat(25_000)}https://example.com/${"y".repeat(25_000)}`;
    const chunks = chunkForSms(run);
    expect(chunks.join("")).toBe(run);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(1600);
  });

  it("never cuts inside an emoji ZWJ sequence when hard-splitting", () => {
    const family = "\u{1F468}\u200D\u{1F469}\u200D\u{1F467}";
    const text = family.repeat(30);
    const chunks = chunkForSms(text, { chunkLimit: 50 });
    expect(chunks.join("")).toBe(text);
    for (const chunk of chunks) expect(chunk.length % family.length).toBe(0);
  });

  it("cuts Japanese text without spaces between characters, not before closing punctuation", () => {
    const sentence = "今日は晴れですが、午後から雨が降るでしょう。";
    const text = sentence.repeat(12);
    const chunks = chunkForSms(text, { chunkLimit: 100 });
    expect(chunks.join("")).toBe(text);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(100);
      expect(chunk.startsWith("。") || chunk.startsWith("、")).toBe(false);
    }
    // With 70 units a chunk holds three 22-character sentences as one SMS: a sentence end is then as cheap as any cut.
    const single = chunkForSms(text, { chunkLimit: 70 });
    expect(single).toEqual(Array.from({ length: 4 }, () => sentence.repeat(3)));
  });
});

describe("chunkForSms: fewest segments", () => {
  it("cuts at 10 full GSM-7 parts rather than at 1600 characters when that saves a segment", () => {
    const text = prose(336, 4); // 1679 chars: 1600 + 79 would bill 11 + 1; 1530-ish + rest bills 10 + 1
    const chunks = chunkForSms(text);
    expect(chunks).toHaveLength(2);
    expect(totalSegments(chunks)).toBe(11);
    expect(Math.ceil(text.length / 153)).toBe(11);
  });

  it("sends a long GSM-7 text in the fewest texts, within a segment or two of the lower bound", () => {
    const text = prose(2000, 6); // 13,999 characters, one endless sentence
    const chunks = chunkForSms(text);
    expect(chunks).toHaveLength(Math.ceil(text.length / MAX_TWILIO_BODY_CHARS));
    // A tenth text would bill the bound (92) exactly, but saves only 2 segments: not worth another buzz.
    expect(totalSegments(chunks)).toBe(Math.ceil(countSegments(text).units / 153) + 2);
  });

  it("bills the lower bound on a long UCS-2 text", () => {
    const text = "Погода сегодня хорошая, ".repeat(200);
    const chunks = chunkForSms(text);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(1600);
    expect(totalSegments(chunks)).toBe(Math.ceil(text.trim().length / 67));
  });

  it("keeps an emoji paragraph apart so the rest stays GSM-7", () => {
    const first = prose(200, 4);
    const party = "Congrats! 🎉";
    const last = prose(200, 4, 9);
    const chunks = chunkForSms(`${first}\n\n${party}\n\n${last}`);
    expect(chunks).toEqual([first, party, last]);
    expect(chunks.map((chunk) => countSegments(chunk).encoding)).toEqual(["GSM-7", "UCS-2", "GSM-7"]);
  });

  it("matches a brute-force search for the cheapest split on small crafted cases", () => {
    const cases = [
      {
        text: "Жжжжж жжж жжжжжжжжж жж жжжжжжж жжжж жжжжжжжжжжжж жжж жж жжжжжжжжжжжжж жжжж жжжжж жжжжжжж жж",
        limit: 80,
      },
      {
        text: `${"a".repeat(60)} ${"b".repeat(100)} ${"c".repeat(90)} ${"d".repeat(40)} ${"e".repeat(150)} f ${"g".repeat(70)}`,
        limit: 320,
      },
      { text: `${"€€€€€€€€€€ ".repeat(10)}end of the € story`, limit: 100 },
      { text: `${"abcdefghij ".repeat(8)}🙂 ${"klmnopqrst ".repeat(6)}`, limit: 80 },
    ];
    for (const { text, limit } of cases) {
      const chunks = chunkForSms(text, { chunkLimit: limit });
      expect(chunks.length).toBeGreaterThan(1);
      for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(limit);
      expect(text.trim().split(" ").length).toBeLessThanOrEqual(18);
      expect(chunkerCost(chunks)).toBe(bruteForceMinimum(text.trim(), limit));
    }
  });
});

/**
 * The chunker's objective for a single sentence cut between words: billed segments, EXTRA_TEXT_COST_SEGMENTS per
 * chunk, MID_PARAGRAPH_CUT_COST_SEGMENTS per cut (none of them ends a paragraph or line).
 */
function chunkerCost(chunks: readonly string[]): number {
  const segments = chunks.reduce((sum, chunk) => sum + countSegments(chunk).segments, 0);
  return segments + EXTRA_TEXT_COST_SEGMENTS * chunks.length + MID_PARAGRAPH_CUT_COST_SEGMENTS * (chunks.length - 1);
}

/**
 * The lowest chunkerCost over every way to cut `text` at its spaces into chunks of at most `limit` characters. The
 * cases are single sentences longer than the limit, where every space is an allowed cut.
 */
function bruteForceMinimum(text: string, limit: number): number {
  const parts = text.split(" ");
  let best = Number.POSITIVE_INFINITY;
  const gaps = parts.length - 1;
  for (let mask = 0; mask < 1 << gaps; mask += 1) {
    const chunks: string[] = [];
    let current = parts[0] ?? "";
    for (let gap = 0; gap < gaps; gap += 1) {
      const next = parts[gap + 1] ?? "";
      if (mask & (1 << gap)) {
        chunks.push(current);
        current = next;
      } else {
        current = `${current} ${next}`;
      }
    }
    chunks.push(current);
    if (chunks.every((chunk) => chunk.length <= limit)) {
      best = Math.min(best, chunkerCost(chunks));
    }
  }
  return best;
}

describe("chunkForSms: a reply that fits one body", () => {
  const totalSegments = (chunks: string[]) => chunks.reduce((sum, chunk) => sum + countSegments(chunk).segments, 0);

  it("sends an emoji paragraph apart when that keeps the rest GSM-7 and saves segments", () => {
    const prose = Array.from(
      { length: 12 },
      (_, i) => `Sentence ${i} of plain GSM text about the trip plan for today.`,
    ).join(" ");
    const text = `${prose}\n\nHave a great day 🌞`;
    expect(text.length).toBeLessThanOrEqual(1600);
    expect(countSegments(text).segments).toBeGreaterThan(10); // as one UCS-2 message
    const chunks = chunkForSms(text);
    expect(chunks).toEqual([prose, "Have a great day 🌞"]);
    expect(totalSegments(chunks)).toBeLessThan(countSegments(text).segments - 1);
  });

  it("keeps a short reply whole, emoji or not", () => {
    expect(chunkForSms("Sure! Here's the plan.\n\nSee you at 6 🎉")).toEqual([
      "Sure! Here's the plan.\n\nSee you at 6 🎉",
    ]);
    expect(chunkForSms("x".repeat(300))).toEqual(["x".repeat(300)]);
  });
});
