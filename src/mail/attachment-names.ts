/** An attachment's filename: its own, made safe to show, or one made from its content type. */
import { libmime } from './mailparser-deps.js';

function defaultFilename(contentType: string, index: number): string {
  const ext = libmime.detectExtension(contentType) || 'bin';
  const stem = contentType.startsWith('image/') ? 'image' : contentType === 'message/rfc822' ? 'message' : 'attachment';
  return `${stem}-${index + 1}.${ext}`;
}

/** The attachment's own name, made safe to show (no path, no control characters), or one made from its type. */
export function attachmentFilename(raw: string | undefined, contentType: string, index: number): string {
  let name = (raw ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim();
  name = (name.split(/[\\/]/).pop() ?? '').trim();
  if (name === '.' || name === '..') name = '';
  if (name.length > 255) name = name.slice(0, 255);
  return name || defaultFilename(contentType, index);
}
