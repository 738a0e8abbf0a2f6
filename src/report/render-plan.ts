/**
 * Picks the renderer for a plan by format name.
 */
import type { Plan } from '../plan/types.ts';
import { renderPlanText } from './render-text.ts';
import { renderPlanDiff } from './render-diff.ts';
import { renderPlanMarkdown } from './render-markdown.ts';

/** Formats `plan` can be written in. */
export type PlanFormat = 'text' | 'json' | 'diff' | 'markdown';

/** Every plan format, for option validation. */
export const planFormats: readonly PlanFormat[] = ['text', 'json', 'diff', 'markdown'];

/** Renders a plan in the given format. */
export function renderPlan(plan: Plan, format: PlanFormat, options: { color: boolean; verbose: boolean }): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(plan, null, 2)}\n`;
    case 'diff':
      return renderPlanDiff(plan);
    case 'markdown':
      return renderPlanMarkdown(plan);
    case 'text':
      return renderPlanText(plan, options);
  }
}
