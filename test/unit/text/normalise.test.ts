import { describe, expect, it } from "vitest";
import { isGsm7 } from "../../../lib/text/gsm7.ts";
import { normaliseForSms } from "../../../lib/text/normalise.ts";
import { countSegments } from "../../../lib/text/segments.ts";

// biome-ignore lint/suspicious/noTemplateCurlyInString: JavaScript source under test, not a placeholder.
const TEMPLATE_LITERAL = "`x ${y}`";

describe("normaliseForSms: faithful replacements", () => {
  it.each([
    ["left single quote", "\u2018", "'"],
    ["right single quote", "\u2019", "'"],
    ["single low quote", "\u201A", "'"],
    ["prime", "\u2032", "'"],
    ["modifier apostrophe", "\u02BC", "'"],
    ["left double quote", "\u201C", '"'],
    ["right double quote", "\u201D", '"'],
    ["double low quote", "\u201E", '"'],
    ["double prime", "\u2033", '"'],
    ["guillemets", "\u00AB\u00BB", '""'],
    ["en dash", "\u2013", "-"],
    ["em dash", "\u2014", "-"],
    ["minus sign", "\u2212", "-"],
    ["non-breaking hyphen", "\u2011", "-"],
    ["hyphen", "\u2010", "-"],
    ["ellipsis", "\u2026", "..."],
    ["bullet", "\u2022", "-"],
    ["white bullet", "\u25E6", "-"],
    ["triangular bullet", "\u2023", "-"],
    ["bullet operator", "\u2219", "-"],
    ["middle dot", "\u00B7", "-"],
    ["no-break space", "\u00A0", " "],
    ["en quad", "\u2000", " "],
    ["thin space", "\u2009", " "],
    ["hair space", "\u200A", " "],
    ["narrow no-break space", "\u202F", " "],
    ["medium mathematical space", "\u205F", " "],
    ["ideographic space", "\u3000", " "],
    ["zero-width space", "\u200B", ""],
    ["word joiner", "\u2060", ""],
    ["byte order mark", "\uFEFF", ""],
    ["soft hyphen", "\u00AD", ""],
    ["fullwidth letters and digits", "\uFF21\uFF42\uFF43\uFF11\uFF12", "Abc12"],
    ["fullwidth punctuation", "\uFF01\uFF1F\uFF08\uFF09\uFF5E", "!?()~"],
    ["trade mark", "\u2122", "TM"],
    ["copyright", "\u00A9", "(c)"],
    ["registered", "\u00AE", "(R)"],
    ["multiplication sign", "\u00D7", "x"],
    ["division sign", "\u00F7", "/"],
    ["less or equal", "\u2264", "<="],
    ["greater or equal", "\u2265", ">="],
    ["not equal", "\u2260", "!="],
    ["right arrow", "\u2192", "->"],
    ["left arrow", "\u2190", "<-"],
    ["one half", "\u00BD", "1/2"],
    ["one quarter", "\u00BC", "1/4"],
    ["three quarters", "\u00BE", "3/4"],
    ["plus-minus", "\u00B1", "+/-"],
    ["squared", "m\u00B2", "m^2"],
    ["cubed, after a number", "10\u00B3", "10^3"],
    ["a fraction after a whole number", "2\u00BD", "2 1/2"],
    ["a fraction after a space", " \u00BE", " 3/4"],
    ["ligature fi", "\uFB01", "fi"],
    ["tab", "a\tb", "a  b"],
    ["CRLF", "a\r\nb", "a\nb"],
    ["lone CR", "a\rb", "a\nb"],
    ["control character", "a\u0007b", "ab"],
  ])("replaces the %s", (_name, input, expected) => {
    const out = normaliseForSms(`x${input}y`);
    expect(out).toBe(`x${expected}y`);
    expect(isGsm7(out)).toBe(true);
  });

  it("keeps English text with word-processor typography in GSM-7", () => {
    const input = "\u201CIt\u2019s done\u201D \u2014 she said\u2026 \u2022 Price: 5\u00A0\u20AC \u00D7 2";
    const out = normaliseForSms(input);
    expect(out).toBe('"It\'s done" - she said... - Price: 5 \u20AC x 2');
    expect(countSegments(input).encoding).toBe("UCS-2");
    expect(countSegments(out).encoding).toBe("GSM-7");
  });

  it("applies faithful replacements even when the message stays UCS-2", () => {
    expect(normaliseForSms("\u201CHi\u201D \u{1F600}")).toBe('"Hi" \u{1F600}');
  });

  it("leaves GSM-7 text unchanged, extension characters included", () => {
    const text = "Café at 5€ [or] {so} ~ ^ | \\ Ça va? Ñoño, ÄÖÜ äöü ß ÆØÅ æøå ΔΦΓΛΩΠΨΣΘΞ ¡¿ §¤";
    expect(normaliseForSms(text)).toBe(text);
  });
});

describe("normaliseForSms: what has no faithful GSM-7 form is kept, and the message is UCS-2", () => {
  it.each([
    ["a Spanish sentence with accents", "¿Dónde está la estación? Mañana a las ocho."],
    ["Portuguese avó and avô, which mean different people", "A minha avó e o meu avô moram em São Paulo."],
    ["Vietnamese diacritics", "Tiếng Việt có dấu: Hà Nội, Đà Nẵng, phở bò."],
    ["French ç and œ", "façade, garçon, cœur"],
    ["Polish letters", "Łódź, Gdańsk"],
    ["capital accented vowels GSM-7 lacks", "À È Ì Ò Ù Á Í Ó Ú Â Ê Î Ô Û"],
    ["Greek capitals that look Latin", "\u0391\u0398\u0397\u039D\u0391"],
    ["the degree sign", "22\u00B0C, 70\u00B0F, a 45\u00B0 angle"],
    ["the Celsius and Fahrenheit signs", "22\u2103 or 72\u2109"],
    ["the micro sign", "5 \u00B5g"],
    ["the acute accent", "rock \u00B4n\u00B4 roll"],
    ["backticks", `run \`ls -la\` or console.log(${TEMPLATE_LITERAL})`],
  ])("keeps %s", (_name, text) => {
    expect(normaliseForSms(text)).toBe(text);
    expect(countSegments(text).encoding).toBe("UCS-2");
  });

  it("keeps GSM-7 accented letters as they are", () => {
    const text = "é è ù ì ò à É Ç Ñ ñ Ä Ö Ü ä ö ü ß";
    expect(normaliseForSms(text)).toBe(text);
    expect(countSegments(text).encoding).toBe("GSM-7");
  });

  it("still applies faithful replacements around kept accents", () => {
    expect(normaliseForSms("\u201CDónde está\u201D \u2014 dijo\u2026")).toBe('"Dónde está" - dijo...');
  });
});

describe("normaliseForSms: text that needs UCS-2 stays as it is", () => {
  it.each([
    ["emoji", "Great job! \u{1F389}\u{1F44D}"],
    ["emoji with variation selector", "I \u2764\uFE0F it"],
    ["emoji ZWJ sequence", "family \u{1F468}\u200D\u{1F469}\u200D\u{1F467} and \u2764\uFE0F\u200D\u{1F525}"],
    ["Japanese", "東京の天気は晴れです。"],
    ["Chinese", "你好世界。"],
    ["Russian", "Привет! Как дела?"],
    ["Arabic", "مرحبا بالعالم"],
    ["Greek lowercase", "καλημέρα"],
    ["Hindi", "नमस्ते"],
    ["Persian with ZWNJ", "می\u200Cخواهم"],
  ])("keeps %s", (_name, text) => {
    expect(normaliseForSms(text)).toBe(text);
  });

  it("removes a stray zero-width joiner between GSM-7 characters", () => {
    expect(normaliseForSms("ab\u200Dc\u200C")).toBe("abc");
  });

  it("maps fullwidth punctuation inside Japanese text to ASCII", () => {
    expect(normaliseForSms("本当？はい！")).toBe("本当?はい!");
  });
});
