import { strict as assert } from 'node:assert';
import { parseReviewOutput, renderReview } from '../../../../src/core/thread/reviewFormat';
import { parseRenderedReview } from '../../../../webview/review';

const finding = (title: string, start: number, end: number, body: string) => ({
  title,
  body,
  confidence_score: 0.5,
  priority: 1,
  code_location: { absolute_file_path: '/repo/a.ts', line_range: { start, end } },
});

describe('core/thread/reviewFormat', () => {
  it('renders one finding as "Review comment:" and several as "Full review comments:", bodies indented', () => {
    const one = parseReviewOutput(JSON.stringify({ findings: [finding('[P1] A', 2, 2, 'Why.')], overall_explanation: 'Broken.', overall_correctness: 'patch is incorrect' }));
    assert.equal(renderReview(one), 'Broken.\n\nReview comment:\n\n- [P1] A — /repo/a.ts:2-2\n  Why.');
    const two = parseReviewOutput(JSON.stringify({ findings: [finding('[P1] A', 2, 2, 'Line one\nline two'), finding('[P2] B', 3, 5, 'Other.')], overall_explanation: 'Broken.' }));
    assert.equal(renderReview(two), 'Broken.\n\nFull review comments:\n\n- [P1] A — /repo/a.ts:2-2\n  Line one\n  line two\n\n- [P2] B — /repo/a.ts:3-5\n  Other.');
    assert.equal(two.findings[1]!.priority, 1);
  });

  it('reads JSON wrapped in a code fence or prose, and falls back to the plain text', () => {
    const fenced = parseReviewOutput('Here it is:\n```json\n' + JSON.stringify({ findings: [], overall_explanation: 'Fine.' }) + '\n```');
    assert.equal(renderReview(fenced), 'Fine.');
    assert.equal(renderReview(parseReviewOutput('No issues found.')), 'No issues found.');
    assert.equal(renderReview(parseReviewOutput('{"unrelated": true}')), '{"unrelated": true}');
    const noLocation = parseReviewOutput(JSON.stringify({ findings: [{ title: 'T', body: 'B' }], overall_explanation: '' }));
    assert.equal(renderReview(noLocation), 'Review comment:\n\n- T\n  B');
  });

  it('renders what the chat parses back into findings with their locations', () => {
    const output = parseReviewOutput(JSON.stringify({ findings: [finding('[P1] A — dash in title', 2, 4, 'Why.\n\nMore.'), finding('[P2] B', 7, 7, 'Other.')], overall_explanation: 'Two things.' }));
    assert.deepEqual(parseRenderedReview(renderReview(output)), {
      explanation: 'Two things.',
      findings: [
        { title: '[P1] A — dash in title', path: '/repo/a.ts', start: 2, end: 4, body: 'Why.\n\nMore.' },
        { title: '[P2] B', path: '/repo/a.ts', start: 7, end: 7, body: 'Other.' },
      ],
    });
    assert.deepEqual(parseRenderedReview('Looks fine.'), { explanation: 'Looks fine.', findings: [] });
  });
});
