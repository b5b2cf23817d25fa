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

  it("takes a paragraph end over a sentence end that would bill one segment fewer", () => {
    const first = `${sentence(27)}`; // 162 characters: two segments on its own
    const rest = Array.from({ length: 53 }, (_, i) => `Sentence number ${i} is here.`).join(" ");
    const rendered = renderReply(`${first}\n\n${rest}`);
    expect(rendered.cuts).toEqual(["paragraph"]);
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

  it("never splits a number written with spaces, brackets or dashes, whatever the body limit", () => {
    for (const number of ["10 000", "+1 (555) 123-4567", "+44 20 7946 0958"]) {
      const text = `${"word ".repeat(29)}call ${number} now ${"word ".repeat(40)}`;
      for (let limit = 140; limit <= 175; limit += 1) {
        const bodies = chunkForSms(text, { chunkLimit: limit });
        expect(
          bodies.filter((body) => body.includes(number)),
          `${number} at ${limit}`,
        ).toHaveLength(1);
      }
    }
  });

  it("never splits a URL, even one a script without spaces could be cut inside", () => {
    const url = `https://ja.wikipedia.org/wiki/${"京都駅の歴史と案内".repeat(2)}`; // 48 characters
    const text = `${"東京から新幹線で行きます".repeat(2)}詳しくは ${url} を見てください${"東京から新幹線で行きます".repeat(4)}。`;
    for (let limit = 60; limit <= 90; limit += 1) {
      const bodies = chunkForSms(text, { chunkLimit: limit });
      expect(
        bodies.filter((body) => body.includes(url)),
        `limit ${limit}`,
      ).toHaveLength(1);
    }
  });

  it("keeps a list marker with its item", () => {
    const link = `[Timetable](https://example.com/${"q".repeat(28)})`; // "Timetable (url)": 60 characters
    for (let limit = 40; limit <= 80; limit += 1) {
      const bodies = renderSmsBodies(`Links:\n\n- ${link}\n- next item here`, { chunkLimit: limit });
      for (const body of bodies) expect(body, `limit ${limit}`).not.toMatch(/(^|\n)- ?$/);
    }
  });

  it("does not take an initial or a dotted abbreviation for a sentence end", () => {
    const text = `${sentence(20)} We met J. Smith at the U.S. Embassy and then walked on. ${sentence(20, 2)}`;
    const bodies = chunkForSms(text, { chunkLimit: 170 });
    expect(bodies.some((body) => body.includes("We met J. Smith at the U.S. Embassy and then walked on."))).toBe(true);
  });

  it("never sends a body over the limit, even when stretches that must stay whole overlap", () => {
    const md = `See [a link label of words](https://example.com/x)! ${"More words here. ".repeat(3)}`;
    for (const body of renderSmsBodies(md, { chunkLimit: 45 })) expect(body.length).toBeLessThanOrEqual(45);
    const long = `[${"x".repeat(1500)}](https://e.com/${"y".repeat(82)}). ${"Sentence here. ".repeat(100)}`;
    for (const body of renderSmsBodies(long)) expect(body.length).toBeLessThanOrEqual(1600);
    // A list marker stays with its item, and the link after it stays whole: together longer than the limit.
    const listed = `Links:\n\n- [Timetable](https://example.com/${"q".repeat(28)})\n- next item here`;
    for (const body of renderSmsBodies(listed, { chunkLimit: 60 })) expect(body.length).toBeLessThanOrEqual(60);
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
