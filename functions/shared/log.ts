/** One JSON object per line: values are escaped by JSON.stringify, so a key or title cannot forge log entries. */
export type Level = 'debug' | 'info' | 'warn' | 'error';
export interface Logger {
  log(level: Level, message: string, fields?: Record<string, unknown>): void;
}

export const jsonLogger = (stage: string, write: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Logger => ({
  log(level, message, fields = {}) {
    write(JSON.stringify({ level, stage, message, ...fields }));
  },
});

export const silentLogger: Logger = { log() {} };
