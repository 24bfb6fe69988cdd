import type { BlobStore } from '@cur/platform';
import { NotFoundError, isCurError } from '@cur/platform';
import { DqEvaluationSchema, type DqEvaluation, type DqResultSource } from './dq-evaluation';

/** The key of a stored evaluation in the system bucket. */
export const dqResultKey = (resultId: string): string => `dq/results/${resultId}.json`;

/** Evaluations the local evaluator stored in the system bucket (works on S3 as well as the local folder). */
export class StoredDqResultSource implements DqResultSource {
  readonly #system: BlobStore;

  constructor(system: BlobStore) {
    this.#system = system;
  }

  /** Stores an evaluation where {@link get} finds it. */
  async put(evaluation: DqEvaluation): Promise<void> {
    await this.#system.put(dqResultKey(evaluation.resultId), `${JSON.stringify(DqEvaluationSchema.parse(evaluation), null, 2)}\n`, { contentType: 'application/json' });
  }

  async get(resultId: string): Promise<DqEvaluation> {
    try {
      return DqEvaluationSchema.parse(JSON.parse(Buffer.from(await this.#system.get(dqResultKey(resultId))).toString('utf8')));
    } catch (error) {
      if (isCurError(error, 'NOT_FOUND')) throw new NotFoundError(`no stored DQ result '${resultId}'`, { cause: error });
      throw error;
    }
  }
}
