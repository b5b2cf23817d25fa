/** The Node.js major the Lambdas run, and the one this project recommends on your machine. */
export const RECOMMENDED_NODE_MAJOR = 22;

/**
 * The AWS SDK prints a nine-line notice about Node 22 once per process on Node 20; with a gateway, its workers and
 * every test process that is a screenful of the same words. The README and the one line below say it once.
 */
export function quietSdkNodeNotice(env: Record<string, string | undefined> = process.env): void {
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
}

/** One line for an older Node than the Lambdas run (Node 20 works, but is past its end of life); none on 22+. */
export function nodeSupportNote(version: string = process.version): string | undefined {
  const major = Number(/^v?(\d+)\./.exec(version)?.[1] ?? RECOMMENDED_NODE_MAJOR);
  if (major >= RECOMMENDED_NODE_MAJOR) return undefined;
  return (
    `note: Node ${version} works but is past its end of life; Node ${RECOMMENDED_NODE_MAJOR} (what the Lambdas ` +
    "run) is recommended, and AWS SDK releases from 2027 need it"
  );
}
