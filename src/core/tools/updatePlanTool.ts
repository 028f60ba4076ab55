// update_plan: the model's step list, shown to the user as `turn/plan/updated`.
import { parseArguments, type ToolHandler } from './registry';

const STATUS = { pending: 'pending', in_progress: 'inProgress', completed: 'completed' } as const;

export const updatePlanTool: ToolHandler = {
  name: 'update_plan',
  parallel: false,
  spec: {
    type: 'function',
    name: 'update_plan',
    description: 'Record the plan for this task as a short list of steps, each pending, in_progress or completed. At most one step is in_progress. Call it again as steps finish.',
    strict: false,
    parameters: {
      type: 'object',
      properties: {
        explanation: { type: 'string' },
        plan: {
          type: 'array',
          items: { type: 'object', properties: { step: { type: 'string' }, status: { type: 'string', enum: ['pending', 'in_progress', 'completed'] } }, required: ['step', 'status'], additionalProperties: false },
        },
      },
      required: ['plan'],
      additionalProperties: false,
    },
  },
  async handle(call, context) {
    const args = parseArguments(call);
    if (!args.ok) return { output: args.message, success: false };
    const raw = args.value.plan;
    if (!Array.isArray(raw)) return { output: 'update_plan needs "plan": a list of {step, status}', success: false };
    const plan: Array<{ step: string; status: (typeof STATUS)[keyof typeof STATUS] }> = [];
    for (const entry of raw as Array<{ step?: unknown; status?: unknown }>) {
      const status = STATUS[entry?.status as keyof typeof STATUS];
      if (typeof entry?.step !== 'string' || !status) return { output: `each plan entry needs a "step" string and a status of pending, in_progress or completed; got ${JSON.stringify(entry)}`, success: false };
      plan.push({ step: entry.step, status });
    }
    if (plan.filter((p) => p.status === 'inProgress').length > 1) return { output: 'at most one step may be in_progress', success: false };
    const explanation = typeof args.value.explanation === 'string' ? args.value.explanation : null;
    context.publishPlan(explanation, plan);
    return { output: 'Plan updated', success: true };
  },
};
