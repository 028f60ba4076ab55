// The reviewer's answer: the JSON the review guidelines ask for, read leniently (a model may wrap it in
// prose or a code fence), or its plain text when it is not JSON. Rendered into the text clients show and the
// asking thread keeps, in the layout codex uses: the overall explanation, then one entry per finding with
// its file and lines.

export interface ReviewFinding {
  title: string;
  body: string;
  confidenceScore: number | null;
  priority: number | null;
  location: { path: string; start: number; end: number } | null;
}

export interface ReviewOutput {
  findings: ReviewFinding[];
  overallCorrectness: string | null;
  overallExplanation: string;
  overallConfidenceScore: number | null;
}

export function parseReviewOutput(text: string): ReviewOutput {
  const parsed = parseJsonObject(text.trim());
  if (!parsed || !('findings' in parsed || 'overall_explanation' in parsed)) {
    return { findings: [], overallCorrectness: null, overallExplanation: text, overallConfidenceScore: null };
  }
  const findings = Array.isArray(parsed.findings) ? parsed.findings.filter(isObject).map(findingOf) : [];
  return {
    findings,
    overallCorrectness: stringOr(parsed.overall_correctness, null),
    overallExplanation: stringOr(parsed.overall_explanation, ''),
    overallConfidenceScore: numberOr(parsed.overall_confidence_score),
  };
}

/** The explanation, then "Review comment:" (one finding) or "Full review comments:" (several) and the findings. */
export function renderReview(output: ReviewOutput): string {
  const parts: string[] = [];
  const explanation = output.overallExplanation.trim();
  if (explanation) parts.push(explanation);
  if (output.findings.length > 0) {
    parts.push(output.findings.length === 1 ? 'Review comment:' : 'Full review comments:');
    for (const finding of output.findings) parts.push(renderFinding(finding));
  }
  return parts.join('\n\n');
}

function renderFinding(finding: ReviewFinding): string {
  const where = finding.location ? ` — ${finding.location.path}:${finding.location.start}-${finding.location.end}` : '';
  const body = finding.body
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
  return `- ${finding.title}${where}${body.trim() ? `\n${body}` : ''}`;
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  const attempt = (candidate: string) => {
    try {
      const value: unknown = JSON.parse(candidate);
      return isObject(value) ? value : undefined;
    } catch {
      return undefined;
    }
  };
  const whole = attempt(text);
  if (whole) return whole;
  // JSON inside prose or a code fence: from the first brace to the last.
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  return start !== -1 && end > start ? attempt(text.slice(start, end + 1)) : undefined;
}

function findingOf(raw: Record<string, unknown>): ReviewFinding {
  const location = isObject(raw.code_location) ? raw.code_location : undefined;
  const range = location && isObject(location.line_range) ? location.line_range : undefined;
  const path = location ? stringOr(location.absolute_file_path, null) : null;
  const start = range ? numberOr(range.start) : null;
  const end = range ? numberOr(range.end) : null;
  return {
    title: stringOr(raw.title, ''),
    body: stringOr(raw.body, ''),
    confidenceScore: numberOr(raw.confidence_score),
    priority: numberOr(raw.priority),
    location: path !== null ? { path, start: start ?? 1, end: end ?? start ?? 1 } : null,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOr<T>(value: unknown, fallback: T): string | T {
  return typeof value === 'string' ? value : fallback;
}

function numberOr(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
