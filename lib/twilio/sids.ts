/** A Twilio message sid: SM (SMS) or MM (MMS) and 32 hex digits. */
export const MESSAGE_SID = /^(SM|MM)[0-9a-fA-F]{32}$/;
