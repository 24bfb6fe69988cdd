import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The monorepo root (`/work/main` in a checkout), found from this file so any working directory works. */
export const WORKSPACE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The `infra/` project folder. */
export const INFRA_ROOT = join(WORKSPACE_ROOT, 'infra');

/** Where the per-stage config files live. */
export const CONFIG_DIR = join(INFRA_ROOT, 'config');

/** Where the app builds write their bundles: `dist/apps/<name>/handler.mjs`. */
export const APP_DIST_DIR = join(WORKSPACE_ROOT, 'dist', 'apps');
