import { GetObjectCommand, HeadObjectCommand, NoSuchKey, NotFound, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/** The bucket as the stages see it. */
export interface ObjectStore {
  /** The object's bytes, or undefined when it no longer exists. */
  getBytes(key: string, versionId?: string): Promise<Uint8Array | undefined>;
  getJson<T>(key: string): Promise<T>;
  putJson(key: string, value: unknown): Promise<void>;
  /** Whether an object exists (HeadObject). */
  exists(key: string): Promise<boolean>;
}

export class S3ObjectStore implements ObjectStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async getBytes(key: string, versionId?: string): Promise<Uint8Array | undefined> {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, VersionId: versionId }));
      return out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
    } catch (err) {
      if (err instanceof NoSuchKey || (err as { name?: string }).name === 'NoSuchKey' || (err as { name?: string }).name === 'NoSuchVersion') return undefined;
      throw err;
    }
  }

  async getJson<T>(key: string): Promise<T> {
    const bytes = await this.getBytes(key);
    if (!bytes) throw new Error(`artifact ${key} is missing`);
    return JSON.parse(new TextDecoder().decode(bytes)) as T;
  }

  async putJson(key: string, value: unknown): Promise<void> {
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: JSON.stringify(value), ContentType: 'application/json; charset=utf-8' }));
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (err) {
      if (
        err instanceof NotFound ||
        (err as { name?: string }).name === 'NotFound' ||
        (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404
      )
        return false;
      throw err;
    }
  }
}
