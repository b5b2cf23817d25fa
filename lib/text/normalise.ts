import { gsm7Septets } from "./gsm7.ts";

/*
 * One character outside GSM-7 turns a whole message into UCS-2, which holds 70 instead of 160 characters per SMS.
 * Characters with a faithful GSM-7 form - one that reads the same - are replaced so that English text with stray
 * typography stays GSM-7: curly quotes, dashes, ellipsis, bullets, odd spaces, invisible characters, fullwidth
 * ASCII, common symbols. Nothing else is touched: accents GSM-7 lacks (Spanish "está", Vietnamese), other scripts,
 * emoji, the degree and micro signs and the backtick stay as written, and the message is then UCS-2, which is the
 * right cost for what it says. Code is not normalised at all: the pipeline applies this to prose only.
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
  // "10²" must not read "102".
  "\u00B9": "^1",
  "\u00B2": "^2",
  "\u00B3": "^3",
  "\u02C6": "^",
  "\u02DC": "~",
  "\u2116": "No.",
  // Ligatures.
  "\uFB00": "ff",
  "\uFB01": "fi",
  "\uFB02": "fl",
  "\uFB03": "ffi",
  "\uFB04": "ffl",
};

/** Builds one alternation regex over the table's keys, longest first so "\r\n" wins over "\r". */
function tableRegex(table: Record<string, string>): RegExp {
  const escaped = Object.keys(table)
    .sort((a, b) => b.length - a.length)
    .map((key) => key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(escaped.join("|"), "gu");
}

const FAITHFUL_RE = tableRegex(FAITHFUL);

const EXOTIC_SPACES_RE = /[\u00A0\u2000-\u200A\u202F\u205F\u3000]/gu;
// Invisible characters that only ever force UCS-2. ZWNJ/ZWJ are handled apart: inside emoji sequences and complex
// scripts they change what is shown.
const INVISIBLE_RE = /[\u200B\u2060\uFEFF\u00AD]/gu;
const JOINER_RE = /[\u200C\u200D]/gu;
// Control characters with no meaning in an SMS (line feed and tab are handled above).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is what this regex is for.
const CONTROL_RE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/gu;
const FULLWIDTH_RE = /[\uFF01-\uFF5E]/gu;

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

// "2½" must read "2 1/2", not "21/2".
const FRACTIONS = new Set(["\u00BD", "\u00BC", "\u00BE", "\u2153", "\u2154", "\u215B"]);

function replaceFaithful(match: string, offset: number, whole: string): string {
  const replacement = FAITHFUL[match] ?? match;
  return FRACTIONS.has(match) && /\d/.test(whole.charAt(offset - 1)) ? ` ${replacement}` : replacement;
}

/** Replaces what has a faithful GSM-7 form (see the note at the top); everything else is kept as written. */
export function normaliseForSms(text: string): string {
  return (
    text
      .replace(FAITHFUL_RE, replaceFaithful)
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
