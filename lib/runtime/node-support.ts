/** The Node.js major the Lambdas run, and the one this project recommends on your machine. */
export const RECOMMENDED_NODE_MAJOR = 22;

/**
 * The AWS SDK prints a nine-line notice about Node 22 once per process on Node 20; with a gateway, its workers and
 * every test process that is a screenful of the same words. The README and the one line below say it once.
 */
export function quietSdkNodeNotice(env: Record<string, string | undefined> = process.env): void {
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
}

/** The oldest Node 22 that every locked package accepts (package.json `engines`). */
const OLDEST_NODE_22_MINOR = 13;

/** One line for an older Node than the Lambdas run (Node 20 works, but is past its end of life); none on 22.13+. */
export function nodeSupportNote(version: string = process.version): string | undefined {
  const [, major = RECOMMENDED_NODE_MAJOR, minor = OLDEST_NODE_22_MINOR] = (/^v?(\d+)\.(\d+)/.exec(version) ?? []).map(
    Number,
  );
  if (major > RECOMMENDED_NODE_MAJOR || (major === RECOMMENDED_NODE_MAJOR && minor >= OLDEST_NODE_22_MINOR)) {
    return undefined;
  }
  if (major === RECOMMENDED_NODE_MAJOR) {
    return `note: Node ${version} is older than 22.${OLDEST_NODE_22_MINOR}, which the project's tools need (package.json engines); update Node 22`;
  }
  return (
    `note: Node ${version} works but is past its end of life; Node ${RECOMMENDED_NODE_MAJOR} (what the Lambdas ` +
    "run) is recommended, and AWS SDK releases from 2027 need it"
  );
}
