/** @module compat/cases — every group of the differential suite, in run order. */
import type { CaseGroup } from '../lib/case.js';
import { phasesGroup } from './phases.js';

export const GROUPS: CaseGroup[] = [phasesGroup];
