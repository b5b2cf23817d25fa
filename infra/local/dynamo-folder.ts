import { createRequire } from "node:module";
import { StartupError } from "./startup-error.ts";

interface LevelDatabase {
  open(): Promise<void>;
  close(): Promise<void>;
}

interface LevelError extends Error {
  cause?: { code?: string; message?: string };
}

/** Opens a LevelDB folder with dynalite's own copy of `level`, so exactly as dynalite will open it. */
export async function openDynamoFolder(path: string): Promise<LevelDatabase> {
  const fromHere = createRequire(import.meta.url);
  const { Level } = createRequire(fromHere.resolve("dynalite"))("level") as {
    Level: new (path: string) => LevelDatabase;
  };
  const db = new Level(path);
  await db.open();
  return db;
}

/**
 * Opens and closes dynalite's LevelDB folder before dynalite does. dynalite opens it lazily and, when that fails (the
 * folder held by another process, unreadable...), answers every request with "Database is closed" from a throw no
 * caller can catch; this says why in one line instead.
 */
export async function checkDynamoFolder(path: string): Promise<void> {
  let db: LevelDatabase;
  try {
    db = await openDynamoFolder(path);
  } catch (error) {
    const cause = (error as LevelError).cause;
    throw new StartupError(
      cause?.code === "LEVEL_LOCKED"
        ? `DynamoDB data in ${path} is held by another process (another sms-channel gateway, or a tool that ` +
            "opened it); stop that process, or start this one with SMS_DATA_DIR set to another folder"
        : `DynamoDB data in ${path} cannot be opened (${cause?.message ?? (error as Error).message}); fix or ` +
            "move that folder, or start with SMS_DATA_DIR set to another folder",
    );
  }
  await db.close();
}
