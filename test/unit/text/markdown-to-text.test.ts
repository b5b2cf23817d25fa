import { describe, expect, it } from "vitest";
import { markdownToPlainText } from "../../../lib/text/markdown-to-text.ts";

// biome-ignore lint/suspicious/noTemplateCurlyInString: JavaScript source under test, not a placeholder.
const TEMPLATE_LITERAL = "`x ${y}`";

describe("markdownToPlainText", () => {
  it("turns headings into their text, glued to what follows", () => {
    expect(markdownToPlainText("# Title\n\nBody text")).toBe("Title\nBody text");
    expect(markdownToPlainText("Setext title\n===\n\nBody")).toBe("Setext title\nBody");
    expect(markdownToPlainText("### A *styled* heading")).toBe("A styled heading");
  });

  it("drops emphasis markers", () => {
    expect(markdownToPlainText("**bold** _italic_ ~~gone~~ ***both*** __under__")).toBe("bold italic gone both under");
  });

  it("keeps a snake_case word and a lone asterisk as written", () => {
    expect(markdownToPlainText("set max_retry_count to 2 * 3")).toBe("set max_retry_count to 2 * 3");
  });

  it("keeps backslash-escaped characters literally", () => {
    expect(markdownToPlainText("\\*not emphasis\\* and \\# not a heading")).toBe("*not emphasis* and # not a heading");
  });

  it("puts one list item per line with a GSM-7 bullet", () => {
    expect(markdownToPlainText("* apples\n* pears\n* plums")).toBe("- apples\n- pears\n- plums");
  });

  it("indents nested lists by two spaces per level", () => {
    expect(markdownToPlainText("- fruit\n  - apple\n    - green\n- veg")).toBe(
      "- fruit\n  - apple\n    - green\n- veg",
    );
  });

  it("numbers ordered lists from their start", () => {
    expect(markdownToPlainText("1. one\n2. two\n3. three")).toBe("1. one\n2. two\n3. three");
    expect(markdownToPlainText("4. four\n5. five")).toBe("4. four\n5. five");
    expect(markdownToPlainText("- steps\n  1. mix\n  2. bake")).toBe("- steps\n  1. mix\n  2. bake");
  });

  it("keeps loose list items on single lines with continuation paragraphs indented", () => {
    expect(markdownToPlainText("1. first\n\n2. second\n\n   more about it")).toBe(
      "1. first\n2. second\n  more about it",
    );
  });

  it("shows task list checkboxes", () => {
    expect(markdownToPlainText("- [x] done\n- [ ] todo")).toBe("- [x] done\n- [ ] todo");
  });

  it("renders links as label (url)", () => {
    expect(markdownToPlainText("See [the docs](https://example.com/docs?a=1&b=2).")).toBe(
      "See the docs (https://example.com/docs?a=1&b=2).",
    );
  });

  it("renders a link whose label is its url as just the url", () => {
    expect(markdownToPlainText("[https://example.com/a](https://example.com/a)")).toBe("https://example.com/a");
    expect(markdownToPlainText("[example.com](https://www.example.com/)")).toBe("https://www.example.com/");
  });

  it("keeps autolinks and bare urls once", () => {
    expect(markdownToPlainText("<https://example.com/x>")).toBe("https://example.com/x");
    expect(markdownToPlainText("Go to https://example.com/path?q=1.")).toBe("Go to https://example.com/path?q=1.");
    expect(markdownToPlainText("or www.example.org today")).toBe("or www.example.org today");
  });

  it("shows mailto links as the bare address", () => {
    expect(markdownToPlainText("Mail [support](mailto:help@example.com)")).toBe("Mail support (help@example.com)");
    expect(markdownToPlainText("Write to help@example.com")).toBe("Write to help@example.com");
    expect(markdownToPlainText("<mailto:help@example.com>")).toBe("help@example.com");
  });

  it("resolves reference links and drops their definitions", () => {
    expect(markdownToPlainText("Read [the guide][g].\n\n[g]: https://example.com/guide")).toBe(
      "Read the guide (https://example.com/guide).",
    );
  });

  it("drops in-page anchors, which lead nowhere from an SMS", () => {
    expect(markdownToPlainText("Back to [the top](#top)")).toBe("Back to the top");
  });

  it("keeps fenced code content without backticks or language", () => {
    expect(markdownToPlainText("Run:\n\n```bash\nnpm install\nnpm test\n```\n\nDone.")).toBe(
      "Run:\n\nnpm install\nnpm test\n\nDone.",
    );
  });

  it("keeps indented code content", () => {
    expect(markdownToPlainText("Example:\n\n    x = 1\n    y = 2")).toBe("Example:\n\nx = 1\ny = 2");
  });

  it("keeps inline code content without backticks, entities untouched", () => {
    expect(markdownToPlainText("Use `a * b * c` or `&amp;`")).toBe("Use a * b * c or &amp;");
  });

  it("turns tables into one Header: value line per row", () => {
    const table = "| Item | Qty | Note |\n|---|---:|---|\n| Eggs | 2 | large |\n| Milk | 1 L | |";
    expect(markdownToPlainText(table)).toBe("Item: Eggs, Qty: 2, Note: large\nItem: Milk, Qty: 1 L");
  });

  it("renders table cells' inline markdown", () => {
    expect(markdownToPlainText("| Site | Link |\n|---|---|\n| **Docs** | [here](https://d.example) |")).toBe(
      "Site: Docs, Link: here (https://d.example)",
    );
  });

  it("renders images as alt (url), or the url when there is no alt", () => {
    expect(markdownToPlainText("![A cat](https://example.com/cat.png)")).toBe("A cat (https://example.com/cat.png)");
    expect(markdownToPlainText("![](https://example.com/cat.png)")).toBe("https://example.com/cat.png");
  });

  it("drops HTML blocks and comments entirely", () => {
    expect(markdownToPlainText("<div>\n<p>hidden</p>\n</div>\n\nvisible")).toBe("visible");
    expect(markdownToPlainText("before\n\n<!-- a note -->\n\nafter")).toBe("before\n\nafter");
  });

  it("drops inline tags but keeps the text between them", () => {
    expect(markdownToPlainText('a <span class="x">b</span> <b>c</b>')).toBe("a b c");
  });

  it("turns <br> into a line break", () => {
    expect(markdownToPlainText("line one<br>line two<br/>three")).toBe("line one\nline two\nthree");
  });

  it("decodes HTML entities in text and urls", () => {
    expect(markdownToPlainText("Tom &amp; Jerry &lt;3 &#8217; &#x1F600; &copy; &bogus;")).toBe(
      "Tom & Jerry <3 \u2019 \u{1F600} \u00A9 &bogus;",
    );
    expect(markdownToPlainText("[q](https://e.com/?a=1&amp;b=2)")).toBe("q (https://e.com/?a=1&b=2)");
  });

  it("keeps blockquote text without a prefix", () => {
    expect(markdownToPlainText("> quoted\n> text\n\nafter")).toBe("quoted\ntext\n\nafter");
    expect(markdownToPlainText("> outer\n>\n> > inner")).toBe("outer\n\ninner");
  });

  it("keeps hard line breaks and soft line breaks as new lines", () => {
    expect(markdownToPlainText("first  \nsecond\nthird")).toBe("first\nsecond\nthird");
  });

  it("drops horizontal rules", () => {
    expect(markdownToPlainText("above\n\n---\n\nbelow")).toBe("above\n\nbelow");
  });

  it("collapses blank lines to at most one and trims the ends", () => {
    expect(markdownToPlainText("\n\n  one  \n\n\n\n\ntwo   \n\n\n")).toBe("one\n\ntwo");
  });

  it("keeps code byte for byte: blank lines, trailing spaces, tabs and backticks", () => {
    expect(markdownToPlainText("```\na\n\n\n\nb\n```")).toBe("a\n\n\n\nb");
    const code = `const s = ${TEMPLATE_LITERAL};  \n\tif (a) return \u201Cq\u201D;`;
    expect(markdownToPlainText(`Code:\n\n\`\`\`js\n${code}\n\`\`\`\n\nDone.`)).toBe(`Code:\n\n${code}\n\nDone.`);
    expect(markdownToPlainText(`Run \`\` console.log(${TEMPLATE_LITERAL}) \`\` now`)).toBe(
      `Run console.log(${TEMPLATE_LITERAL}) now`,
    );
  });

  it("applies the prose option to prose only, never to code", () => {
    const shout = (text: string) => text.toUpperCase();
    expect(markdownToPlainText("say `hi` and\n\n```\nbye\n```\n\n- item `x`", { prose: shout })).toBe(
      "SAY hi AND\n\nbye\n\n- ITEM x",
    );
  });

  it("tidies what the prose option returns", () => {
    expect(markdownToPlainText("one\n\ntwo", { prose: (text) => text.replace("\n\n", " \n\n\n\n") })).toBe(
      "one\n\ntwo",
    );
  });

  it("indents a code block inside a list item with the item, its lines otherwise unchanged", () => {
    expect(markdownToPlainText("- step:\n\n  ```\n  a  b\n\n\n  c\n  ```")).toBe("- step:\n  a  b\n\n\n  c");
  });

  it("shows a link labelled with its url in backticks as the url alone", () => {
    expect(markdownToPlainText("[`https://example.com/a`](https://example.com/a)")).toBe("https://example.com/a");
  });

  it("drops the internal code marks if a reply contains them", () => {
    expect(markdownToPlainText("a\uFDD0b `c\uFDD1d` e\uFDD1")).toBe("ab cd e");
  });

  it("returns the empty string for empty or markup-only input", () => {
    expect(markdownToPlainText("")).toBe("");
    expect(markdownToPlainText("   \n\n")).toBe("");
    expect(markdownToPlainText("<div></div>\n\n---")).toBe("");
  });

  it("leaves plain text alone", () => {
    expect(markdownToPlainText("Sure! It'll be 5 minutes.")).toBe("Sure! It'll be 5 minutes.");
  });
});
