// The tools every thread offers the model, in the order they are listed to it.
import { modelSupportsFreeformTools } from '../model/modelInfo';
import { applyPatchTool } from './applyPatchTool';
import { execTools, type ExecSessions, type ExecToolDeps } from './execTools';
import type { ToolHandler } from './registry';
import { updatePlanTool } from './updatePlanTool';
import { viewImageTool } from './viewImageTool';

export function builtinTools(model: string, exec: ExecToolDeps, sessions: ExecSessions): ToolHandler[] {
  return [...execTools(exec, sessions), applyPatchTool(modelSupportsFreeformTools(model) ? 'freeform' : 'function'), updatePlanTool, viewImageTool];
}
