import { describe, expect, it } from "vitest";
import {
  chunkForSms,
  countSegments,
  isGsm7,
  MAX_TWILIO_BODY_CHARS,
  markdownToPlainText,
  markdownToSmsText,
  normaliseForSms,
  renderSmsBodies,
} from "../../../lib/text/index.ts";

// biome-ignore lint/suspicious/noTemplateCurlyInString: JavaScript source under test, not a placeholder.
const TEMPLATE_LITERAL = "`x ${y}`";

describe("renderSmsBodies", () => {
  it("exports the whole pipeline from one entry point", () => {
    expect(MAX_TWILIO_BODY_CHARS).toBe(1600);
    const markdown = "**Hi** \u2014 see [x](https://x.example)";
    const plain = markdownToPlainText(markdown);
    expect(plain).toBe("Hi \u2014 see x (https://x.example)");
    expect(isGsm7(plain)).toBe(false);
    const normalised = normaliseForSms(plain);
    expect(isGsm7(normalised)).toBe(true);
    expect(markdownToSmsText(markdown)).toBe(normalised);
    expect(renderSmsBodies(markdown)).toEqual(chunkForSms(normalised));
  });

  it("turns a markdown reply with word-processor typography into one GSM-7 body", () => {
    const bodies = renderSmsBodies(
      "## Tomorrow\n\nIt\u2019ll be **sunny** \u2014 highs of 24\u201326\u2026\n\n* Sunscreen\n* Water\n\nMore: [forecast](https://weather.example/paris)",
    );
    expect(bodies).toEqual([
      "Tomorrow\nIt'll be sunny - highs of 24-26...\n\n- Sunscreen\n- Water\n\nMore: forecast (https://weather.example/paris)",
    ]);
    expect(countSegments(bodies[0] ?? "").encoding).toBe("GSM-7");
  });

  it("keeps a reply with emoji or another script in UCS-2, accents intact", () => {
    expect(renderSmsBodies("Café **ouvert** \u{1F600}")).toEqual(["Café ouvert \u{1F600}"]);
    expect(renderSmsBodies("# Перевод\n\n*Привет*, мир!")).toEqual(["Перевод\nПривет, мир!"]);
  });

  it("keeps accents GSM-7 lacks and sends the reply in UCS-2", () => {
    const bodies = renderSmsBodies("**¿Dónde está** la estación? \u2014 Mañana, a las 8\u00A0h.");
    expect(bodies).toEqual(["¿Dónde está la estación? - Mañana, a las 8 h."]);
    expect(countSegments(bodies[0] ?? "").encoding).toBe("UCS-2");
  });

  it("keeps Vietnamese diacritics", () => {
    expect(renderSmsBodies("Xin chào! *Tiếng Việt* có dấu: Hà Nội, Đà Nẵng.")).toEqual([
      "Xin chào! Tiếng Việt có dấu: Hà Nội, Đà Nẵng.",
    ]);
  });

  it("keeps the degree sign and sends the reply in UCS-2", () => {
    const bodies = renderSmsBodies("Highs of 24\u00B0C");
    expect(bodies).toEqual(["Highs of 24\u00B0C"]);
    expect(countSegments(bodies[0] ?? "").encoding).toBe("UCS-2");
  });

  it("keeps a JS template literal in a fenced code block byte for byte", () => {
    const code = `const greet = (y) => ${TEMPLATE_LITERAL};\nconsole.log(${TEMPLATE_LITERAL});`;
    const bodies = renderSmsBodies(`Try this:\n\n\`\`\`js\n${code}\n\`\`\`\n\nIt\u2019s short.`);
    expect(bodies).toEqual([`Try this:\n\n${code}\n\nIt's short.`]);
    expect(countSegments(bodies[0] ?? "").encoding).toBe("UCS-2");
  });

  it("keeps a JS template literal in inline code byte for byte", () => {
    expect(renderSmsBodies(`Log it with \`\` console.log(${TEMPLATE_LITERAL}) \`\` \u2014 done.`)).toEqual([
      `Log it with console.log(${TEMPLATE_LITERAL}) - done.`,
    ]);
  });

  it("does not normalise or tidy code: curly quotes, tabs, trailing spaces and blank lines stay", () => {
    const code = "print(\u2018It\u2019s\u2019)  \n\n\n\tpass\u2026";
    expect(renderSmsBodies(`\u201CSee:\u201D\n\n\`\`\`\n${code}\n\`\`\``)).toEqual([`"See:"\n\n${code}`]);
  });

  it("splits a long reply into bodies of at most 1600 characters, or the chunk limit", () => {
    const paragraph = "The quick brown fox jumps over the lazy dog, then naps in the afternoon sun. ".repeat(6);
    const markdown = Array.from({ length: 8 }, (_, i) => `### Part ${i + 1}\n\n${paragraph}`).join("\n\n");
    const bodies = renderSmsBodies(markdown);
    expect(bodies.length).toBeGreaterThan(1);
    for (const body of bodies) expect(body.length).toBeLessThanOrEqual(1600);
    const limited = renderSmsBodies(markdown, { chunkLimit: 300 });
    for (const body of limited) expect(body.length).toBeLessThanOrEqual(300);
    expect(limited.length).toBeGreaterThan(bodies.length);
  });

  it("returns no body for a reply with nothing visible", () => {
    expect(renderSmsBodies("")).toEqual([]);
    expect(renderSmsBodies("<!-- nothing -->\n\n---")).toEqual([]);
  });
});
