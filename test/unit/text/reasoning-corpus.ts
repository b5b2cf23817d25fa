/** Replies with reasoning or scaffolding; `sent` is what the pipeline sends (its one body), "" for nothing. */
export interface ReasoningCase {
  name: string;
  reply: string;
  sent: string;
}

export const REMOVED: readonly ReasoningCase[] = [
  {
    name: "a closed <think> block before the answer",
    reply: "<think>I should check the weather API first.</think>\n\nIt will rain after 3pm.",
    sent: "It will rain after 3pm.",
  },
  {
    name: "<thinking> over several paragraphs, with markdown inside",
    reply: "<thinking>\nThe user wants a time.\n\n- option A\n- option B\n\n**Pick A.**\n</thinking>\nMeet at 6.",
    sent: "Meet at 6.",
  },
  { name: "<reasoning> in capitals", reply: "<REASONING>step 1, step 2</REASONING>Yes.", sent: "Yes." },
  { name: "mixed case tags", reply: "<Think>hmm</tHiNk>Done!", sent: "Done!" },
  {
    name: "a block in the middle of the answer",
    reply: "First part.\n\n<think>now the second part</think>\n\nSecond part.",
    sent: "First part.\n\nSecond part.",
  },
  { name: "two blocks", reply: "<think>a</think>One. <thinking>b</thinking>Two.", sent: "One. Two." },
  {
    name: "an unclosed block at the very start (the model stopped thinking mid-way)",
    reply: "<think>Let me work out the route. The user is in Kyoto and",
    sent: "",
  },
  { name: "nothing but a closed block", reply: "  <think>only this</think>  ", sent: "" },
  {
    name: "a closing tag with no opening (the template opened it)",
    reply: "The user asks about trains, so I will list them.</think>\n\nTrains leave at 8 and 9.",
    sent: "Trains leave at 8 and 9.",
  },
  { name: "attributes on the tag", reply: '<think effort="high">plan</think>Sure.', sent: "Sure." },
  { name: "<thought> and <antthinking>", reply: "<thought>x</thought><antthinking>y</antthinking>Hi.", sent: "Hi." },
  {
    name: "HTML comments",
    reply: "Here you go.<!-- tool_call: weather({city: 'Kyoto'}) -->\n\n<!--\nmulti-line\n-->Sunny.",
    sent: "Here you go.\n\nSunny.",
  },
  {
    name: "a block containing a code fence that mentions the closing tag",
    reply: "<think>\n```\nprint('</think>')\n```\nstill thinking\n</think>\nAnswer.",
    sent: "Answer.",
  },
  { name: "nested blocks of one name", reply: "<think>a<think>b</think>c</think>Answer.", sent: "Answer." },
  {
    name: "an unclosed block after a closed one (nothing visible before it)",
    reply: "<think>plan A</think>\n<think>Actually, reconsider: the user is",
    sent: "",
  },
  {
    name: "an unclosed block after a comment",
    reply: "<!-- tool: weather --><think>The user wants rain data; I will",
    sent: "",
  },
  {
    name: "a stray closing tag mid-line: only the tag goes",
    reply: "In XML you close it with </think> like that.",
    sent: "In XML you close it with like that.",
  },
  {
    name: "a stray opening tag in prose: only the tag goes",
    reply: "Some models start with <think> and never close it.",
    sent: "Some models start with and never close it.",
  },
  { name: "emphasis around a removed block", reply: "**<think>x</think>** Answer", sent: "Answer" },
  {
    name: "reasoning that mentions the tag in prose (unbalanced, so not nested)",
    reply:
      "<think>The user asks what the <think> tag does in DeepSeek R1. Explain briefly.</think>\nR1 wraps its reasoning in think tags; apps hide it.",
    sent: "R1 wraps its reasoning in think tags; apps hide it.",
  },
  {
    name: "a stray backtick inside the block does not pair with code in the answer",
    reply: "<think>User wants a code span; wrap it in ` marks</think>Use `ls -la` to list files.",
    sent: "Use ls -la to list files.",
  },
  {
    name: "an unclosed fence inside the block does not hide its closing tag",
    reply: "<think>Draft:\n```python\nfor i in x:\n</think>\nHere:\n\n```python\nprint(1)\n```",
    sent: "Here:\n\nprint(1)",
  },
  {
    name: "a fence right after a block is code once the block is gone",
    reply: "<think>plan</think>```html\n<!-- keep -->\n<p>x</p>\n```",
    sent: "<!-- keep -->\n<p>x</p>",
  },
  {
    name: "a template's closing tag after a comment",
    reply: "<!-- c -->\nI should reason.</think>\nAnswer",
    sent: "Answer",
  },
  { name: "a self-closing tag on its own", reply: "<think />\nHere is the answer.", sent: "Here is the answer." },
  {
    name: "an inline comment leaves one space",
    reply: "Answer: 42 <!-- cite --> and more.",
    sent: "Answer: 42 and more.",
  },
];

/** Look-alikes: the reasoning filter leaves them exactly as written (the renderer then drops inline HTML tags). */
export const KEPT: readonly Omit<ReasoningCase, "sent">[] = [
  {
    name: "a code block that shows the tags",
    reply: "Like this:\n\n```html\n<think>reasoning</think>\n<!-- note -->\n```",
  },
  { name: "a tilde fence", reply: "~~~\n<thinking>x</thinking>\n~~~\nDone." },
  { name: "inline code naming a tag", reply: "R1 emits `<think>` and `</think>` around its reasoning." },
  { name: "double-backtick inline code", reply: "Type ``<think>` then `</think>`` to test." },
  { name: "the word think", reply: "I think it will rain. Thinking of you!" },
  { name: "look-alike tags", reply: "Use <thinker> tags? No: <thinkpad> is a laptop, <reasons> are fine." },
  { name: "a closing tag inside code only", reply: "Escape it: `</think>` then carry on." },
  {
    name: "a comment opened in prose and closed in code",
    reply: "Arrows: <!-- starts one.\n\n```js\nconst a = 1; // -->\nconst b = 2;\n```\nEnd.",
  },
  { name: "a comment closed inside inline code", reply: "Type <!-- then `-->` in HTML." },
  {
    name: "a fence indented inside a list item",
    reply: "1. Create the file:\n\n    ```html\n    <!-- header -->\n    <p>Hi</p>\n    ```\n\n2. Save it.",
  },
  { name: "tags in an indented fence", reply: "- Step:\n\n    ```python\n    s = '<think>a</think>'\n    ```" },
  { name: "a fence in a block quote", reply: "> ```\n> <!-- quoted -->\n> ```" },
  { name: "inline code over a line break", reply: "Wrap it as `<!--\n-->` in HTML." },
];
