/** @module compat/cases — every group of the differential suite, in run order. */
import type { CaseGroup } from '../lib/case.js';
import { authGroup } from './auth.js';
import { configGroup } from './config.js';
import { earlyGroup } from './early.js';
import { filtersGroup } from './filters.js';
import { headSyncGroup } from './head-sync.js';
import { importsGroup } from './imports.js';
import { methodsGroup } from './methods.js';
import { phasesGroup } from './phases.js';
import { pspGroup } from './psp.js';
import { publisherGroup } from './publisher.js';
import { requestGroup } from './request.js';
import { requestHeaderGroup } from './request-header.js';
import { sessionGroup } from './session.js';
import { setEnvIfGroup } from './setenvif.js';
import { stackingGroup } from './stacking.js';
import { ssiGroup } from './ssi.js';
import { staticGroup } from './static.js';
import { tablesGroup } from './tables.js';
import { utilGroup } from './util.js';
import { wsgiGroup } from './wsgi.js';

export const GROUPS: CaseGroup[] = [phasesGroup, stackingGroup, earlyGroup, requestGroup, requestHeaderGroup, headSyncGroup, methodsGroup, tablesGroup, configGroup, setEnvIfGroup, importsGroup, filtersGroup, ssiGroup, utilGroup, publisherGroup, pspGroup, sessionGroup, wsgiGroup, staticGroup, authGroup];
