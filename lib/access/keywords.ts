/** Carrier opt-out vocabulary (CTIA / Twilio Advanced Opt-Out defaults). */
const OPT_OUT = new Set(["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"]);
const OPT_IN = new Set(["START", "YES", "UNSTOP"]);
const HELP = new Set(["HELP", "INFO"]);

export type KeywordKind = "opt-out" | "opt-in" | "help";

/**
 * A keyword counts only when it is the whole message: "stop." or " Stop! " are keywords, "please stop that" is not.
 * Twilio answers these keywords itself, so the channel records state and never replies.
 */
export function classifyKeyword(body: string): KeywordKind | null {
  const word = body
    .trim()
    .replace(/^[\p{P}\p{S}\s]+|[\p{P}\p{S}\s]+$/gu, "")
    .toUpperCase();
  if (OPT_OUT.has(word)) return "opt-out";
  if (OPT_IN.has(word)) return "opt-in";
  if (HELP.has(word)) return "help";
  return null;
}
