/**
 * Text a user can type or an agent can produce, one sample per kind of Unicode that has broken a pipeline before:
 * astral characters (emoji, ZWJ sequences, flags, skin tones, math letters, CJK extension B), the noncharacters
 * SQS refuses, lone surrogates, control characters, combining marks, right-to-left text and plain GSM-7.
 */
export const UNICODE_SAMPLES: Readonly<Record<string, string>> = {
  gsm7: "on my way, see you at 5 @ the cafe",
  emoji: "on my way 🚗",
  thumbsUp: "thanks 👍",
  zwjFamily: "family 👨‍👩‍👧‍👦 dinner",
  flag: "back in 🇯🇵 soon",
  skinTone: "wave 👋🏽",
  mathLetters: "𝐛𝐨𝐥𝐝 𝑖𝑡𝑎𝑙𝑖𝑐",
  cjkExtensionB: "𠀀𠀁 kanji",
  nonCharacters: "odd \uFFFE and \uFFFF here",
  loneHighSurrogate: "broken \uD83D end",
  loneLowSurrogate: "broken \uDE97 start",
  controls: "tab\there\u0001\u0007\u001F\u007F\u0085 end",
  combining: "e\u0301 n\u0303 a\u030A",
  rightToLeft: "مرحبا بالعالم",
  bidiMarks: "\u202Eevil\u202C \u200F mark",
  privateUse: "\uE000\uF8FF",
  bom: "\uFEFFstarts with a BOM",
  nul: "nul \u0000 inside",
};
