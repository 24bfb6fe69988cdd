import type { PipelineTask } from './types/lineage-step';

/**
 * The Airflow variable (JSON, written by the CDK to MWAA's SSM secrets backend) the score task's Processing job is
 * configured from: `roleArn`, `imageUri` (the scikit-learn image), `kmsKeyArn` (the lake key), `consumptionBucket`,
 * `systemBucket`, `modelHistoryTable` and `eventBus` (the platform bus, where the task announces the published tags).
 */
export const SCORING_JOB_VARIABLE = 'cur_scoring_job';

/** The marker the Processing job's configuration holds until the task's `pre_execute` puts the promoted version in. */
export const PROMOTED_MODEL_VERSION_MARKER = '@promoted-model-version@';

/**
 * The imports the scoring task's Python needs beside the DAG's own (and `Variable` from `airflow.sdk`). `cur_model` is
 * libs/model-training's package, shipped in the DAG folder beside the DAG (infra's DagBucket).
 */
export const SCORING_IMPORTS = {
  standard: ['import datetime as dt', 'from collections.abc import Mapping', 'from typing import Any'],
  thirdParty: [
    'from airflow.providers.amazon.aws.hooks.dynamodb import DynamoDBHook',
    'from airflow.providers.amazon.aws.hooks.base_aws import AwsBaseHook',
    'from airflow.providers.amazon.aws.hooks.s3 import S3Hook',
    'from airflow.providers.amazon.aws.operators.sagemaker import SageMakerProcessingOperator',
    'from airflow.sdk.exceptions import AirflowSkipException',
  ],
  firstParty: ['from cur_model.platform_events import publish_layer', 'from cur_model.publish import layer_published, publish_scored_partition'],
} as const;

/**
 * The module-level Python of a model-applying task: how the promoted version is read (the model history's scoring
 * pointer, `pk=scoring, sk=current` of its DynamoDB table, strongly consistent) and put into the Processing job, or
 * the task skipped while none is promoted.
 */
export function renderScoringHelpers(): string[] {
  return [
    `#: Where the score task's Processing job is configured from (an Airflow variable the CDK writes, JSON).`,
    `SCORING_JOB_VARIABLE = "${SCORING_JOB_VARIABLE}"`,
    `#: Stands for the promoted model version in the Processing job until the task starts.`,
    `PROMOTED_MODEL_VERSION = "${PROMOTED_MODEL_VERSION_MARKER}"`,
    "#: The Processing job's folders: the scoring code (cur_model), the model, the features in, the model tags out.",
    'PROCESSING = "/opt/ml/processing"',
    '#: The run\'s partition of a dataset, under its folder.',
    `PARTITION = "business_date={{ dag_run.conf['businessDate'] }}/"`,
    '',
    '',
    'def promoted_model_version() -> str | None:',
    '    """The model history\'s scoring pointer (`cur model promote`), or None while no version is promoted."""',
    '    table_name = Variable.get(SCORING_JOB_VARIABLE, deserialize_json=True)["modelHistoryTable"]',
    '    table = DynamoDBHook(region_name=REGION).conn.Table(table_name)',
    '    item = table.get_item(Key={"pk": "scoring", "sk": "current"}, ConsistentRead=True).get("Item")',
    '    return None if item is None else str(item["versionId"])',
    '',
    '',
    'def with_model_version(value: object, version: str) -> object:',
    '    """`value` with every PROMOTED_MODEL_VERSION replaced by `version`."""',
    '    if isinstance(value, str):',
    '        return value.replace(PROMOTED_MODEL_VERSION, version)',
    '    if isinstance(value, list):',
    '        return [with_model_version(item, version) for item in value]',
    '    if isinstance(value, dict):',
    '        return {key: with_model_version(item, version) for key, item in value.items()}',
    '    return value',
    '',
    '',
    'def s3_folder(bucket: str, prefix: str) -> str:',
    '    """A prefix in a bucket the scoring job variable names (`consumptionBucket`, `systemBucket`)."""',
    '    return "s3://{{ var.json." + SCORING_JOB_VARIABLE + "." + bucket + "Bucket }}/" + prefix',
    '',
    '',
    'def processing_input(name: str, s3_prefix: str, local_path: str) -> dict[str, object]:',
    '    """A folder the Processing job reads: everything under the prefix, copied in before the script starts."""',
    '    s3_input = {"S3Uri": s3_prefix, "LocalPath": local_path, "S3DataType": "S3Prefix", "S3InputMode": "File"}',
    '    return {"InputName": name, "S3Input": s3_input}',
    '',
    '',
    'def empty_output_partition(task: SageMakerProcessingOperator) -> None:',
    '    """Deletes what earlier runs left in the partition the Processing job writes: a job only adds files, so the',
    '    partition would otherwise keep tags of a version since rolled back or replaced."""',
    '    [output] = task.config["ProcessingOutputConfig"]["Outputs"]',
    '    bucket, _, prefix = output["S3Output"]["S3Uri"].removeprefix("s3://").partition("/")',
    '    hook = S3Hook(region_name=REGION)',
    '    keys = hook.list_keys(bucket_name=bucket, prefix=prefix)',
    '    if keys:',
    '        hook.delete_objects(bucket=bucket, keys=keys)',
    '',
    '',
    'def apply_promoted_model(context: Mapping[str, Any]) -> None:',
    '    """pre_execute of a model task: its output partition emptied, then its Processing job given the promoted',
    '    version, or the task skipped (and with it the gate of its output; what reads that output reads it as optional)."""',
    '    empty_output_partition(context["task"])',
    '    version = promoted_model_version()',
    '    if version is None:',
    '        raise AirflowSkipException("no model version is promoted for scoring (cur model promote VERSION)")',
    '    task = context["task"]',
    '    task.config = with_model_version(task.config, version)',
    '',
    '',
    'def publish_model_tags(context: Mapping[str, Any], result: object = None) -> None:',
    '    """post_execute of a model task, once its Processing job has succeeded: what the network-isolated job cannot',
    "    do itself, done as the MWAA execution role (cur_model.publish): the partition's manifest written from the",
    "    features' manifest and the job's files, then the partition added to the catalog. Without it the mart, the serving",
    '    load and the gate of its output do not see the model tags. Then, as runPipeline does, Layer Published on the',
    '    platform bus for the oracle-replicator (best effort: a failure is logged and counted, never raised)."""',
    '    job = Variable.get(SCORING_JOB_VARIABLE, deserialize_json=True)',
    '    business_date = dt.date.fromisoformat(context["dag_run"].conf["businessDate"])',
    '    published = publish_scored_partition(',
    '        S3Hook(region_name=REGION).get_conn(),',
    '        AwsBaseHook(client_type="glue", region_name=REGION).get_conn(),',
    '        business_date=business_date,',
    '        consumption_bucket=job["consumptionBucket"],',
    '        system_bucket=job["systemBucket"],',
    '        database_prefix=DATABASE_PREFIX,',
    '        started_at=context["ti"].start_date or dt.datetime.now(dt.UTC),',
    '    )',
    '    log = context["task"].log',
    '    log.info("published %s: %d scored, %d tagged", published.manifest_key, published.scored, published.tagged)',
    '    events = AwsBaseHook(client_type="events", region_name=REGION).get_conn()',
    '    cloudwatch = AwsBaseHook(client_type="cloudwatch", region_name=REGION).get_conn()',
    '    publish_layer(events, cloudwatch, job["eventBus"], layer_published(published, business_date))',
    '',
    '',
  ];
}

/**
 * A task that applies the promoted model: a SageMaker Processing job on the scikit-learn image running
 * `python -m cur_model.score` (the script `cur run` runs locally) over the task's one input partition, writing its one
 * output partition, network-isolated, volumes and output under the lake key; once the job has succeeded, the task
 * publishes the partition's manifest and catalog partition itself (`publish_model_tags`: `cur_model.publish`).
 *
 * @throws Error when the task does not read exactly one dataset and write exactly one
 */
export function renderScoringTask(task: PipelineTask): string[] {
  const [input] = task.inputs;
  const [output] = task.outputs;
  if (task.inputs.length !== 1 || task.outputs.length !== 1 || !input || !output) throw new Error(`model task ${task.id} must read one dataset and write one`);
  const job = `{{ var.json.${SCORING_JOB_VARIABLE}`;
  return [
    `    ${task.id} = SageMakerProcessingOperator(`,
    `        task_id="${task.id}",`,
    `        doc_md="""${task.description}""",`,
    '        config={',
    `            "ProcessingJobName": f"cur-{STAGE}-${task.step}-" + "{{ dag_run.conf['businessDate'] | replace('-', '') }}",`,
    `            "RoleArn": "${job}.roleArn }}",`,
    '            "AppSpecification": {',
    `                "ImageUri": "${job}.imageUri }}",`,
    '                "ContainerEntrypoint": ["python3", "-m", "cur_model.score"],',
    '                "ContainerArguments": [',
    '                    "--model-dir",',
    '                    f"{PROCESSING}/model",',
    '                    "--version-id",',
    '                    PROMOTED_MODEL_VERSION,',
    '                    "--features",',
    '                    f"{PROCESSING}/input",',
    '                    "--output",',
    '                    f"{PROCESSING}/output/part-{PROMOTED_MODEL_VERSION}.parquet",',
    '                ],',
    '            },',
    '            "Environment": {"PYTHONPATH": f"{PROCESSING}/code"},',
    '            "ProcessingInputs": [',
    '                processing_input("code", s3_folder("system", "model-history/code/"), f"{PROCESSING}/code"),',
    '                processing_input(',
    '                    "model",',
    '                    s3_folder("system", f"model-history/artefacts/{PROMOTED_MODEL_VERSION}/output/"),',
    '                    f"{PROCESSING}/model",',
    '                ),',
    '                processing_input(',
    `                    "${input.dataset}",`,
    `                    s3_folder("${input.zone}", "${input.dataset}/" + PARTITION),`,
    '                    f"{PROCESSING}/input",',
    '                ),',
    '            ],',
    '            "ProcessingOutputConfig": {',
    '                "Outputs": [',
    '                    {',
    `                        "OutputName": "${output.dataset}",`,
    '                        "S3Output": {',
    `                            "S3Uri": s3_folder("${output.zone}", "${output.dataset}/" + PARTITION),`,
    '                            "LocalPath": f"{PROCESSING}/output",',
    '                            "S3UploadMode": "EndOfJob",',
    '                        },',
    '                    }',
    '                ],',
    `                "KmsKeyId": "${job}.kmsKeyArn }}",`,
    '            },',
    '            "ProcessingResources": {',
    '                "ClusterConfig": {',
    '                    "InstanceCount": 1,',
    '                    "InstanceType": "ml.m5.large",',
    '                    "VolumeSizeInGB": 30,',
    `                    "VolumeKmsKeyId": "${job}.kmsKeyArn }}",`,
    '                }',
    '            },',
    '            "StoppingCondition": {"MaxRuntimeInSeconds": 3600},',
    '            "NetworkConfig": {"EnableNetworkIsolation": True},',
    '        },',
    '        pre_execute=apply_promoted_model,',
    '        post_execute=publish_model_tags,',
    '        wait_for_completion=True,',
    '        deferrable=True,',
    '        region_name=REGION,',
    '    )',
  ];
}
