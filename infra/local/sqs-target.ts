/** The only X-Amz-Target form the embedded SQS takes: `AmazonSQS.` and an action name, nothing around them. */
const TARGET = /^AmazonSQS\.([A-Za-z]+)$/;

/** The form, as refusals name it. */
export const TARGET_FORM = "AmazonSQS.<Action> (such as AmazonSQS.SendMessage)";

/**
 * The SQS action an X-Amz-Target header names, or undefined unless it is exactly `AmazonSQS.<Action>`. fauxqs
 * reads it more loosely (it drops the first "AmazonSQS." found anywhere), so every other form is refused before
 * fauxqs sees it: the journal and fauxqs must agree on what each request does.
 */
export function sqsAction(target: unknown): string | undefined {
  return typeof target === "string" ? TARGET.exec(target)?.[1] : undefined;
}
