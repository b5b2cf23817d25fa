import { gsm7Septets, isGsm7 } from "./gsm7.ts";

/*
 * One character outside GSM-7 turns a whole message into UCS-2, which holds 70 instead of 160 characters per SMS.
 * Two tiers of replacements keep English text with stray typography in GSM-7:
 *
 * - Faithful replacements always apply: they read the same (curly quotes, dashes, ellipsis, odd spaces, invisible
 *   characters, fullwidth ASCII, common symbols).
 * - Lossy replacements (accents without a GSM-7 form stripped to their base letter, ç -> Ç as carriers do, Greek
 *   capitals that look Latin, the degree sign, the backtick, the micro sign) apply only when they make the whole
 *   message GSM-7. If something else (an emoji, Cyrillic, CJK...) keeps the message in UCS-2 anyway, the original
 *   letters are kept, since they cost nothing extra there.
 */

const FAITHFUL: Record<string, string> = {
  // Quotes and primes.
  "\u2018": "'",
  "\u2019": "'",
  "\u201A": "'",
  "\u201B": "'",
  "\u2032": "'",
  "\u2035": "'",
  "\u02BC": "'",
  "\u2039": "'",
  "\u203A": "'",
  "\u201C": '"',
  "\u201D": '"',
  "\u201E": '"',
  "\u201F": '"',
  "\u2033": '"',
  "\u2036": '"',
  "\u00AB": '"',
  "\u00BB": '"',
  // Dashes and hyphens.
  "\u2010": "-",
  "\u2011": "-",
  "\u2012": "-",
  "\u2013": "-",
  "\u2014": "-",
  "\u2015": "-",
  "\u2212": "-",
  "\uFE58": "-",
  // Dots and bullets.
  "\u2026": "...",
  "\u2025": "..",
  "\u2022": "-",
  "\u25E6": "-",
  "\u2023": "-",
  "\u2219": "-",
  "\u00B7": "-",
  "\u2043": "-",
  "\u25AA": "-",
  // Line endings and tabs (a tab has no GSM-7 form; two spaces keep code indentation readable).
  "\r\n": "\n",
  "\r": "\n",
  "\u2028": "\n",
  "\u2029": "\n",
  "\t": "  ",
  // Symbols with a plain-text spelling.
  "\u2122": "TM",
  "\u00A9": "(c)",
  "\u00AE": "(R)",
  "\u00D7": "x",
  "\u00F7": "/",
  "\u2044": "/",
  "\u2215": "/",
  "\u2217": "*",
  "\u2264": "<=",
  "\u2265": ">=",
  "\u2260": "!=",
  "\u2248": "~",
  "\u00B1": "+/-",
  "\u2192": "->",
  "\u2190": "<-",
  "\u2194": "<->",
  "\u21D2": "=>",
  "\u21D0": "<=",
  "\u00BD": "1/2",
  "\u00BC": "1/4",
  "\u00BE": "3/4",
  "\u2153": "1/3",
  "\u2154": "2/3",
  "\u215B": "1/8",
  "\u00B9": "1",
  "\u00B2": "2",
  "\u00B3": "3",
  "\u02C6": "^",
  "\u02DC": "~",
  "\u2116": "No.",
  "\u2103": "C",
  "\u2109": "F",
  // Ligatures.
  "\uFB00": "ff",
  "\uFB01": "fi",
  "\uFB02": "fl",
  "\uFB03": "ffi",
  "\uFB04": "ffl",
};

const LOSSY: Record<string, string> = {
  "\u00E7": "\u00C7", // ç -> Ç: GSM-7 only has the capital; carriers send ç this way.
  "\u0153": "oe",
  "\u0152": "OE",
  "\u0142": "l",
  "\u0141": "L",
  "\u0111": "d",
  "\u0110": "D",
  "\u00F0": "d",
  "\u00D0": "D",
  "\u00FE": "th",
  "\u00DE": "Th",
  "\u0131": "i",
  "\u017F": "s",
  "\u00B5": "u",
  "\u00B4": "'",
  "`": "'",
  "\u00B0C": "C",
  "\u00B0F": "F",
  "\u00B0": " deg",
  // Greek capitals that look Latin; GSM-7 has only the other ones.
  "\u0391": "A",
  "\u0392": "B",
  "\u0395": "E",
  "\u0396": "Z",
  "\u0397": "H",
  "\u0399": "I",
  "\u039A": "K",
  "\u039C": "M",
  "\u039D": "N",
  "\u039F": "O",
  "\u03A1": "P",
  "\u03A4": "T",
  "\u03A5": "Y",
  "\u03A7": "X",
};

/** Builds one alternation regex over the table's keys, longest first so "\r\n" wins over "\r". */
function tableRegex(table: Record<string, string>): RegExp {
  const escaped = Object.keys(table)
    .sort((a, b) => b.length - a.length)
    .map((key) => key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(escaped.join("|"), "gu");
}

const FAITHFUL_RE = tableRegex(FAITHFUL);
const LOSSY_RE = tableRegex(LOSSY);

const EXOTIC_SPACES_RE = /[\u00A0\u2000-\u200A\u202F\u205F\u3000]/gu;
// Invisible characters that only ever force UCS-2. ZWNJ/ZWJ are handled apart: inside emoji sequences and complex
// scripts they change what is shown.
const INVISIBLE_RE = /[\u200B\u2060\uFEFF\u00AD]/gu;
const JOINER_RE = /[\u200C\u200D]/gu;
// Control characters with no meaning in an SMS (line feed and tab are handled above).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is what this regex is for.
const CONTROL_RE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/gu;
const FULLWIDTH_RE = /[\uFF01-\uFF5E]/gu;
const COMBINING_MARKS_RE = /[\u0300-\u036F]/gu;

function isNonGsm7(codePoint: number | undefined): boolean {
  return codePoint !== undefined && gsm7Septets(codePoint) === 0;
}

/** The code point that ends just before `index`, stepping back over a whole surrogate pair. */
function codePointBefore(text: string, index: number): number | undefined {
  if (index <= 0) return undefined;
  const low = text.charCodeAt(index - 1);
  if (low >= 0xdc00 && low <= 0xdfff && index >= 2) {
    const high = text.charCodeAt(index - 2);
    if (high >= 0xd800 && high <= 0xdbff) return text.codePointAt(index - 2);
  }
  return text.codePointAt(index - 1);
}

/** Replacements that read the same; always applied. */
export function normaliseFaithful(text: string): string {
  return (
    text
      .replace(FAITHFUL_RE, (match) => FAITHFUL[match] ?? match)
      .replace(EXOTIC_SPACES_RE, " ")
      .replace(INVISIBLE_RE, "")
      // A joiner between two GSM-7 characters (or at an edge) is stray; between emoji or letters of a complex
      // script it is part of what the reader sees, and the message is UCS-2 anyway.
      .replace(JOINER_RE, (joiner: string, offset: number, whole: string) =>
        isNonGsm7(codePointBefore(whole, offset)) && isNonGsm7(whole.codePointAt(offset + 1)) ? joiner : "",
      )
      .replace(CONTROL_RE, "")
      .replace(FULLWIDTH_RE, (char) => String.fromCharCode(char.charCodeAt(0) - 0xfee0))
  );
}

/** Replacements that lose a nuance (an accent, a symbol); see the note at the top for when they apply. */
export function normaliseLossy(text: string): string {
  let out = "";
  for (const char of text.replace(LOSSY_RE, (match) => LOSSY[match] ?? match)) {
    if (isGsm7(char)) {
      out += char;
      continue;
    }
    // á -> a, Ê -> E, ű -> u ...: the base letter when the accent is the only thing GSM-7 lacks.
    const base = char.normalize("NFD").replace(COMBINING_MARKS_RE, "");
    out += base.length > 0 && base !== char && isGsm7(base) ? base : char;
  }
  return out;
}

/**
 * Makes text as cheap to send as it can be without changing what it says: faithful replacements always, lossy ones
 * only when the whole message then fits GSM-7.
 */
export function normaliseForSms(text: string): string {
  const faithful = normaliseFaithful(text);
  if (isGsm7(faithful)) return faithful;
  const lossy = normaliseLossy(faithful);
  return isGsm7(lossy) ? lossy : faithful;
}
