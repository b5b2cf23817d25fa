import { randomInt } from "node:crypto";

/** No 0/O or 1/I: a code read aloud or typed from a phone screen has one spelling. */
export const PAIRING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
export const PAIRING_CODE_LENGTH = 8;

export function generatePairingCode(taken: ReadonlySet<string>, random: (max: number) => number = randomInt): string {
  for (;;) {
    let code = "";
    for (let i = 0; i < PAIRING_CODE_LENGTH; i++) code += PAIRING_ALPHABET[random(PAIRING_ALPHABET.length)];
    if (!taken.has(code)) return code;
  }
}

export function normalisePairingCode(input: string): string {
  return input.trim().toUpperCase();
}

export function pairingRequestText(sender: string, code: string): string {
  return [
    "Access to this assistant is not configured for your number yet.",
    `Your number: ${sender}`,
    `Pairing code: ${code}`,
    `Ask the owner to run: smsctl pairing approve ${code}`,
    "The code expires in 1 hour.",
  ].join("\n");
}

export function pairingApprovedText(): string {
  return "You're approved: messages you send to this number now reach the assistant.";
}
