import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const eslint = new ESLint({ cwd: root });

/** Lints `code` as if it were a file at `filePath` and returns the module-boundary messages. */
async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}${filePath}` });
  return (result?.messages ?? []).filter((message) => message.ruleId === '@nx/enforce-module-boundaries').map((message) => message.message);
}

describe('project boundaries (ESLint, run by npm test)', () => {
  it('forbid an app importing another app', async () => {
    const errors = await boundaryErrors('apps/dq-notifier/src/bad-import.ts', "import { handler } from '@cur/retrieval-api';\nexport const x = handler;\n");
    expect(errors).toContain('Imports of apps are forbidden');
  });

  it('forbid a lib importing an app', async () => {
    const errors = await boundaryErrors('libs/platform/src/bad-import.ts', "import { handler } from '@cur/ingestion-controller';\nexport const x = handler;\n");
    expect(errors).not.toHaveLength(0);
  });

  it('forbid anything importing a tool', async () => {
    const errors = await boundaryErrors('apps/retrieval-api/src/bad-import.ts', "import { main } from '@cur/cli';\nexport const x = main;\n");
    expect(errors).not.toHaveLength(0);
  });

  it('forbid the contracts lib from importing the AWS SDK', async () => {
    const errors = await boundaryErrors('libs/contracts/src/bad-import.ts', "import { S3Client } from '@aws-sdk/client-s3';\nexport const x = S3Client;\n");
    expect(errors.join('\n')).toMatch(/@aws-sdk\/client-s3/);
  });

  it('forbid masked code from linking the SYSTEM-only masking lib (the detokenize path)', async () => {
    const errors = await boundaryErrors('apps/retrieval-api/src/bad-import.ts', "import { TokenService } from '@cur/masking';\nexport const x = TokenService;\n");
    expect(errors.join('\n')).toMatch(/access:masked/);
  });

  it('allow an app to use the shared libs', async () => {
    const errors = await boundaryErrors(
      'apps/dq-notifier/src/good-import.ts',
      "import { DATASETS } from '@cur/contracts';\nimport { createLogger } from '@cur/platform';\nexport const x = [DATASETS, createLogger];\n",
    );
    expect(errors).toEqual([]);
  });
});
