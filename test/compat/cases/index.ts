/** @module compat/cases — every group of the differential suite, in run order. */
import type { CaseGroup } from '../lib/case.js';
import { methodsGroup } from './methods.js';
import { phasesGroup } from './phases.js';
import { requestGroup } from './request.js';

export const GROUPS: CaseGroup[] = [phasesGroup, requestGroup, methodsGroup];
