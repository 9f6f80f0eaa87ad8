import type { FastifyReply } from 'fastify';
import type { ExportResult } from '../core/service';

/** The header the web UI reads to show which keystore scheme was used (see renderer http-client). */
export const EXPORT_SCHEME_HEADER = 'x-export-scheme';

/** RFC 6266 Content-Disposition: an ASCII fallback plus the exact UTF-8 name. */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 200) || 'download';
  const exact = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${exact}`;
}

/**
 * The media types the cloud answers downloads with, which its clients check exactly: PEM text as
 * text/plain (vcert's retrieve loop accepts nothing else), every binary file as octet-stream.
 */
export function cloudMediaType(mediaType: string): string {
  return mediaType === 'application/x-pem-file' ? 'text/plain' : 'application/octet-stream';
}

/** File bytes with their media type and name; the scheme header never carries a secret. */
export function sendExport(reply: FastifyReply, result: ExportResult, mediaType = result.summary.mediaType): FastifyReply {
  const scheme = result.summary.scheme.replace(/[^\x20-\x7e]/g, '?');
  return reply
    .code(200)
    .header('content-type', mediaType)
    .header('content-disposition', contentDisposition(result.summary.fileName))
    .header(EXPORT_SCHEME_HEADER, scheme)
    .send(result.bytes);
}
