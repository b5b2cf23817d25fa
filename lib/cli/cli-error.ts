/** A failure the CLI reports as one line on stderr (no stack) with a non-zero exit code. */
export class CliError extends Error {
  override name = "CliError";

  constructor(
    message: string,
    /** 1: the operation failed; 2: the command line was wrong. */
    readonly exitCode = 1,
  ) {
    super(message);
  }
}
