// update_plan: the model's step list, shown to the user as `turn/plan/updated`.
import { z } from 'zod';
import { lazy } from '../../protocol/lazy';
import type { ToolHandler } from './registry';
import { functionSpec, parseToolArguments } from './toolArguments';

const STATUS = { pending: 'pending', in_progress: 'inProgress', completed: 'completed' } as const;

export const UpdatePlanArguments = lazy(() => z.object({
  explanation: z.string().optional(),
  plan: z.array(z.object({ step: z.string(), status: z.enum(['pending', 'in_progress', 'completed']) })),
}));

export const updatePlanTool: ToolHandler = {
  name: 'update_plan',
  parallel: false,
  spec: functionSpec(
    'update_plan',
    'Record the plan for this task as a short list of steps, each pending, in_progress or completed. At most one step is in_progress. Call it again as steps finish.',
    UpdatePlanArguments,
  ),
  async handle(call, context) {
    const args = parseToolArguments(call, 'update_plan', UpdatePlanArguments);
    if (!args.ok) return { output: args.message, success: false };
    const plan = args.value.plan.map((entry) => ({ step: entry.step, status: STATUS[entry.status] }));
    if (plan.filter((p) => p.status === 'inProgress').length > 1) return { output: 'at most one step may be in_progress', success: false };
    context.publishPlan(args.value.explanation ?? null, plan);
    return { output: 'Plan updated', success: true };
  },
};
