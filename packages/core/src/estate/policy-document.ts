/** Parses a policy document that AWS may return URL-encoded (IAM) or plain (KMS, moto). */
export function parsePolicyDocument(doc: string | undefined | null): Record<string, unknown> | null {
  if (doc === undefined || doc === null || doc === '') return null;
  for (const text of [doc, safeDecode(doc)]) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    } catch {
      // try the decoded form
    }
  }
  return null;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
