/**
 * Handler configuration, read once at cold start and validated loudly: a missing variable fails
 * the first invocation with its name, not a confusing SDK error later.
 */
import { type CoreLimits, DEFAULT_LIMITS } from '../core/config';

export interface StageConfig {
  bucketName: string;
  tableName: string;
  limits: CoreLimits;
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const v = env[name];
  if (!v) throw new Error(`configuration: environment variable ${name} is required`);
  return v;
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`configuration: ${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  return n;
}

export function readConfig(env: NodeJS.ProcessEnv, needs: { bucket?: boolean; table?: boolean }): StageConfig {
  return {
    bucketName: needs.bucket ? required(env, 'BUCKET_NAME') : (env.BUCKET_NAME ?? ''),
    tableName: needs.table ? required(env, 'TABLE_NAME') : (env.TABLE_NAME ?? ''),
    limits: {
      maxRawBytes: positiveInt(env, 'MAX_RAW_BYTES', DEFAULT_LIMITS.maxRawBytes),
      minBodyChars: positiveInt(env, 'MIN_BODY_CHARS', DEFAULT_LIMITS.minBodyChars),
    },
  };
}
