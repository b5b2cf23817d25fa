import { describe, expect, it } from "vitest";
import { chunkForSms, EXTRA_TEXT_COST_SEGMENTS } from "../../../lib/text/chunk.ts";
import { countSegments, renderReply, renderSmsBodies } from "../../../lib/text/index.ts";

const segments = (bodies: readonly string[]) => bodies.reduce((sum, body) => sum + countSegments(body).segments, 0);
/** A sentence of `words` five-letter words, ending with a period. */
const sentence = (words: number, seed = 0) =>
  `${Array.from({ length: words }, (_, i) => String.fromCharCode(97 + ((i + seed) % 26)).repeat(5)).join(" ")}.`;

describe("where texts split: the issue's two examples", () => {
  it("never splits a checklist item between `- [` and `] Headlamp`", () => {
    const items = Array.from({ length: 40 }, (_, i) => `- [ ] Item ${i}: headlamp, batteries and a spare`).join("\n");
    const bodies = renderSmsBodies(`Packing list:\n\n${items}`, { chunkLimit: 160 });
    expect(bodies.length).toBeGreaterThan(5);
    for (const body of bodies) {
      expect(body).toMatch(/^(Packing list:|- \[ \] Item \d+)/);
      expect(body).toMatch(/(Packing list:|a spare)$/);
    }
  });

  it("cuts at a sentence end, never inside `Fushimi Inari Taisha.`", () => {
    const text = `${sentence(20)} Walk up to Fushimi Inari Taisha. ${sentence(20, 3)}`;
    const bodies = chunkForSms(text, { chunkLimit: 140 });
    expect(bodies.length).toBeGreaterThan(1);
    expect(bodies.some((body) => body.includes("Fushimi Inari Taisha."))).toBe(true);
    for (const body of bodies) expect(body.endsWith(".")).toBe(true);
  });
});

describe("where texts split: each rule", () => {
  it("prefers paragraph ends, then line ends, then sentence ends", () => {
    const one = sentence(40);
    const two = sentence(40, 5);
    expect(renderReply(`${one}\n\n${two}`, { chunkLimit: 300 }).cuts).toEqual(["paragraph"]);
    expect(renderReply(`${one}  \n${two}`, { chunkLimit: 300 }).cuts).toEqual(["line"]);
    expect(renderReply(`${one} ${two}`, { chunkLimit: 300 }).cuts).toEqual(["sentence"]);
  });

  it("takes a sentence end even where a word cut would bill fewer segments", () => {
    // 150 characters of sentence, then one long sentence: a word cut at 153 septets would fill the first text.
    const first = sentence(25);
    const second = sentence(60, 4);
    const { bodies, cuts } = renderReply(`${first} ${second}`, { chunkLimit: 400 });
    expect(cuts.every((cut) => cut !== "word")).toBe(true);
    expect(bodies[0]).toBe(first);
  });

  it("cuts between words only inside a sentence longer than the body limit", () => {
    const long = sentence(50); // 300 characters, one sentence
    const { bodies, cuts } = renderReply(`${sentence(5)} ${long}`, { chunkLimit: 200 });
    expect(cuts).toEqual(["word"]);
    // The cut falls inside the long sentence (it needs one anyway), not at the clean end before it.
    expect(bodies[0]?.startsWith(`${sentence(5)} aaaaa`)).toBe(true);
    expect(renderReply(`${sentence(5)} ${sentence(30)}`, { chunkLimit: 200 }).cuts).toEqual(["sentence"]);
  });

  it("does not take an abbreviation's period for a sentence end", () => {
    const text = `${sentence(20)} Meet Dr. Tanaka at 9 a.m. on Monday, e.g. near the gate. ${sentence(20, 2)}`;
    const bodies = chunkForSms(text, { chunkLimit: 160 });
    expect(bodies.some((body) => body.includes("Meet Dr. Tanaka at 9 a.m. on Monday, e.g. near the gate."))).toBe(true);
  });

  it("never splits a link from its address, nor a URL", () => {
    const link = "[the station guide with every platform and exit](https://example.com/kyoto/station-guide)";
    const md = `${sentence(18)} See ${link} for details. ${sentence(18, 7)}`;
    const bodies = renderSmsBodies(md, { chunkLimit: 150 });
    expect(bodies.length).toBeGreaterThan(1);
    expect(
      bodies.some((body) =>
        body.includes("the station guide with every platform and exit (https://example.com/kyoto/station-guide)"),
      ),
    ).toBe(true);
  });

  it("never splits a line of code, and a code block split at a line end keeps its indentation", () => {
    const lines = Array.from({ length: 30 }, (_, i) => `    total = total + values[${i}] * weights[${i}]`);
    const code = `def f(values, weights):\n${lines.join("\n")}`;
    const bodies = renderSmsBodies(`Here is the loop:\n\n\`\`\`python\n${code}\n\`\`\``, { chunkLimit: 300 });
    expect(bodies.length).toBeGreaterThan(3);
    const whole = new Set(["Here is the loop:", "", "def f(values, weights):", ...lines]);
    for (const body of bodies) for (const line of body.split("\n")) expect(whole.has(line)).toBe(true);
    for (const body of bodies.slice(1)) expect(body.startsWith("    total = total + values[")).toBe(true);
    expect(bodies.join("\n")).toContain(lines.join("\n").slice(0, 200));
  });

  it("never splits a number written in groups", () => {
    const text = `${"word ".repeat(29)}costs 10 000 yen ${"word ".repeat(40)}`;
    const bodies = chunkForSms(text, { chunkLimit: 160 });
    expect(bodies.some((body) => body.includes("10 000"))).toBe(true);
  });

  it("cuts inside a word only when the word alone is longer than the body limit", () => {
    expect(renderReply(`Short start. ${"x".repeat(250)} end.`, { chunkLimit: 200 }).cuts).toContain("hard");
    expect(renderReply(`Short start. ${"x".repeat(190)} end.`, { chunkLimit: 200 }).cuts).toEqual(["sentence"]);
  });
});

describe("how many texts", () => {
  it("sends a reply that fits one body as one text when a split would save little", () => {
    const prose = sentence(25); // 150 characters
    const reply = `${prose}\n\nSee you 🙂`;
    const whole = countSegments(reply).segments; // 4 UCS-2 segments
    const apart = segments([prose, "See you 🙂"]); // 1 GSM-7 + 1 UCS-2
    expect(whole - apart).toBeLessThanOrEqual(EXTRA_TEXT_COST_SEGMENTS);
    expect(renderSmsBodies(reply)).toEqual([reply]);
  });

  it("sends a lone emoji apart when it would turn nine GSM-7 segments into twenty-three UCS-2 ones", () => {
    const prose = Array.from({ length: 22 }, (_, i) => sentence(10, i)).join(" "); // 1,363 characters
    const reply = `${prose}\n\nSee you soon 👋`;
    expect(countSegments(reply).segments).toBeGreaterThanOrEqual(21);
    const bodies = renderSmsBodies(reply);
    expect(bodies).toEqual([prose, "See you soon 👋"]);
    expect(segments(bodies)).toBe(countSegments(prose).segments + 1);
  });
});
