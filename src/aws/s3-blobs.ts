import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Readable } from 'node:stream';
import type { BlobEraser, BlobStore, DownloadLinks } from '../pipeline/ports.js';

export class BlobNotFoundError extends Error {
  override name = 'BlobNotFoundError';
}

/** Raw mail and attachments in one S3 bucket. Streams both ways: nothing is held whole in memory. */
export class S3Blobs implements BlobStore, BlobEraser, DownloadLinks {
  constructor(
    private readonly s3: S3Client,
    readonly bucket: string,
  ) {}

  async put(key: string, body: Buffer | Readable, contentType = 'application/octet-stream'): Promise<void> {
    // lib-storage's Upload takes streams of unknown length (multipart past 5 MB), which PutObject cannot.
    await new Upload({ client: this.s3, params: { Bucket: this.bucket, Key: key, Body: body, ContentType: contentType } }).done();
  }

  async get(key: string): Promise<Readable> {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return out.Body as Readable;
    } catch (err) {
      if (err instanceof NoSuchKey || (err as { name?: string }).name === 'NoSuchKey') {
        throw new BlobNotFoundError(`s3://${this.bucket}/${key} does not exist`, { cause: err });
      }
      throw err;
    }
  }

  /**
   * A link that downloads the object for `seconds` (a presigned GET), named and typed as given:
   * the browser saves it as a file, it never shows it as a page of ours.
   */
  async downloadLink(key: string, as: { filename: string; contentType: string }, seconds: number): Promise<string> {
    const filename = as.filename.replace(/[\r\n"\\]/g, '_');
    return getSignedUrl(
      this.s3,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: key,
        ResponseContentDisposition: `attachment; filename="${filename.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
        ResponseContentType: as.contentType,
      }),
      { expiresIn: seconds },
    );
  }

  /** Keys under a prefix, every page. */
  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const out = await this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }));
      for (const object of out.Contents ?? []) if (object.Key) keys.push(object.Key);
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }

  /** Deletes the object; one that is not there is no error (S3's own rule), so erasure can be repeated. */
  async delete(key: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }
}
