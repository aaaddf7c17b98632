/**
 * Base64 of bytes, as REANA stores secret values: the browser encodes them so the value
 * travels as JSON text once and the server extension never needs to keep or decode it.
 */
export function toBase64(bytes: Uint8Array): string {
  let text = '';
  const CHUNK = 0x8000; // String.fromCharCode takes a bounded number of arguments
  for (let i = 0; i < bytes.length; i += CHUNK) {
    text += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(text);
}

/** UTF-8 text as base64. */
export function textToBase64(text: string): string {
  return toBase64(new TextEncoder().encode(text));
}
