/** Splits a `multipart/related` body (the JSON API's multipart upload) into its parts. */
export interface Part {
  contentType: string | undefined;
  body: Buffer;
}

export function parseMultipart(contentTypeHeader: string, body: Buffer): Part[] {
  const boundary = contentTypeHeader.match(/boundary="?([^";]+)"?/)?.[1];
  if (!boundary) return [];
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Part[] = [];
  let start = body.indexOf(delimiter);
  while (start >= 0) {
    const afterDelimiter = start + delimiter.length;
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, afterDelimiter);
    if (next < 0) break;
    const raw = body.subarray(afterDelimiter, next);
    const headerEnd = raw.indexOf('\r\n\r\n');
    if (headerEnd >= 0) {
      const headers = raw.subarray(0, headerEnd).toString('utf8');
      let content = raw.subarray(headerEnd + 4);
      if (content.subarray(content.length - 2).toString() === '\r\n') content = content.subarray(0, content.length - 2);
      parts.push({
        contentType: headers.match(/content-type:\s*([^\r\n]+)/i)?.[1]?.trim(),
        body: Buffer.from(content),
      });
    }
    start = next;
  }
  return parts;
}
