/**
 * Twilio auth tokens are 32 lowercase hex characters. The secret the stack creates starts with a random 32-character
 * placeholder of mixed-case letters and digits, which is practically never all hex: a token of another shape is
 * taken to be that placeholder, still waiting for the real token.
 */
export function looksLikeTwilioAuthToken(token: string): boolean {
  return /^[0-9a-f]{32}$/.test(token);
}
