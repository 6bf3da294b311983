/**
 * Stylesheets, scripts, images, frames and CSS imports that an HTML page would fetch from another host
 * (`http:`, `https:` or protocol-relative `//`). A report opened offline or from a CI artifact must have none.
 */
export function findOffHostReferences(html: string): string[] {
  const offHost = String.raw`(?:https?:)?//[^"'\s>)]+`;
  const patterns = [
    new RegExp(String.raw`<link\b[^>]*\bhref\s*=\s*["']?(${offHost})`, 'gi'),
    new RegExp(String.raw`<(?:script|img|iframe|source)\b[^>]*\bsrc\s*=\s*["']?(${offHost})`, 'gi'),
    new RegExp(String.raw`@import\s+(?:url\()?\s*["']?(${offHost})`, 'gi'),
    new RegExp(String.raw`url\(\s*["']?(${offHost})`, 'gi'),
  ];
  const found = patterns.flatMap((pattern) => [...html.matchAll(pattern)].map((match) => match[1] as string));
  return [...new Set(found)];
}
