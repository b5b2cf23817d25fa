/** The stage URL the tests pretend API Gateway serves the webhook on. */
export const STAGE_HOST = "abc123.execute-api.us-east-1.amazonaws.com";
export const STAGE_URL = `https://${STAGE_HOST}/prod`;
