"""The CUR pipeline as an MWAA DAG: one run per business date, whose conf carries it ({"businessDate": "2026-11-25"}).

GENERATED from libs/pipeline's PIPELINE_STEPS: do not edit. Regenerate with
    npx cur lineage dag --out libs/pipeline-dag/dags --graph libs/pipeline-dag/pipeline-graph.json
A test fails while this file differs from what the definition renders (tools/cli, lineage-command.test.ts).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import pendulum
from airflow.providers.amazon.aws.hooks.base_aws import AwsBaseHook
from airflow.providers.amazon.aws.hooks.dynamodb import DynamoDBHook
from airflow.providers.amazon.aws.hooks.s3 import S3Hook
from airflow.providers.amazon.aws.notifications.sns import SnsNotifier
from airflow.providers.amazon.aws.operators.glue import GlueJobOperator
from airflow.providers.amazon.aws.operators.lambda_function import LambdaInvokeFunctionOperator
from airflow.providers.amazon.aws.operators.sagemaker import SageMakerProcessingOperator
from airflow.sdk import DAG, Variable
from airflow.sdk.exceptions import AirflowSkipException
from cur_dq_gate import DqGateOperator

from cur_model.platform_events import publish_layer
from cur_model.publish import layer_published, publish_scored_partition

#: The stage and region, from the MWAA environment (its environment variables).
STAGE = os.environ.get("CUR_STAGE", "dev")
REGION = os.environ.get("AWS_REGION", "ap-northeast-1")
#: The Glue databases of the zones, as infra names them (`cur_<stage>_<zone>`).
DATABASE_PREFIX = "cur_" + STAGE.replace("-", "_")
#: The business date of the run, from its conf.
BUSINESS_DATE = "{{ dag_run.conf['businessDate'] }}"
#: The DQ gates evaluate the partition of the run's business date only.
BUSINESS_DATE_PARTITION = "business_date = '{{ dag_run.conf['businessDate'] }}'"
#: A failed DQ rule labelled with one of these severities only warns; any other, or none, stops what reads the dataset.
DQ_SEVERITY_LABEL = "severity"
DQ_WARNING_SEVERITIES = ("warning",)

#: A failed task publishes its id and the business date to `pipeline-failures`: never a value, never an error text.
NOTIFY_FAILURE = SnsNotifier(
    target_arn="{{ var.value.cur_pipeline_failures_topic_arn }}",
    subject="CUR pipeline: {{ ti.task_id }} failed",
    message="Task {{ ti.task_id }} of run {{ run_id }} failed for business date {{ dag_run.conf['businessDate'] }}.",
    region_name=REGION,
)


#: Where the score task's Processing job is configured from (an Airflow variable the CDK writes, JSON).
SCORING_JOB_VARIABLE = "cur_scoring_job"
#: Stands for the promoted model version in the Processing job until the task starts.
PROMOTED_MODEL_VERSION = "@promoted-model-version@"
#: The Processing job's folders: the scoring code (cur_model), the model, the features in, the model tags out.
PROCESSING = "/opt/ml/processing"
#: The run's partition of a dataset, under its folder.
PARTITION = "business_date={{ dag_run.conf['businessDate'] }}/"


def promoted_model_version() -> str | None:
    """The model history's scoring pointer (`cur model promote`), or None while no version is promoted."""
    table_name = Variable.get(SCORING_JOB_VARIABLE, deserialize_json=True)["modelHistoryTable"]
    table = DynamoDBHook(region_name=REGION).conn.Table(table_name)
    item = table.get_item(Key={"pk": "scoring", "sk": "current"}, ConsistentRead=True).get("Item")
    return None if item is None else str(item["versionId"])


def with_model_version(value: object, version: str) -> object:
    """`value` with every PROMOTED_MODEL_VERSION replaced by `version`."""
    if isinstance(value, str):
        return value.replace(PROMOTED_MODEL_VERSION, version)
    if isinstance(value, list):
        return [with_model_version(item, version) for item in value]
    if isinstance(value, dict):
        return {key: with_model_version(item, version) for key, item in value.items()}
    return value


def s3_folder(bucket: str, prefix: str) -> str:
    """A prefix in a bucket the scoring job variable names (`consumptionBucket`, `systemBucket`)."""
    return "s3://{{ var.json." + SCORING_JOB_VARIABLE + "." + bucket + "Bucket }}/" + prefix


def processing_input(name: str, s3_prefix: str, local_path: str) -> dict[str, object]:
    """A folder the Processing job reads: everything under the prefix, copied in before the script starts."""
    s3_input = {"S3Uri": s3_prefix, "LocalPath": local_path, "S3DataType": "S3Prefix", "S3InputMode": "File"}
    return {"InputName": name, "S3Input": s3_input}


def empty_output_partition(task: SageMakerProcessingOperator) -> None:
    """Deletes what earlier runs left in the partition the Processing job writes: a job only adds files, so the
    partition would otherwise keep tags of a version since rolled back or replaced."""
    [output] = task.config["ProcessingOutputConfig"]["Outputs"]
    bucket, _, prefix = output["S3Output"]["S3Uri"].removeprefix("s3://").partition("/")
    hook = S3Hook(region_name=REGION)
    keys = hook.list_keys(bucket_name=bucket, prefix=prefix)
    if keys:
        hook.delete_objects(bucket=bucket, keys=keys)


def apply_promoted_model(context: Mapping[str, Any]) -> None:
    """pre_execute of a model task: its output partition emptied, then its Processing job given the promoted
    version, or the task skipped (and with it the gate of its output; what reads that output reads it as optional)."""
    empty_output_partition(context["task"])
    version = promoted_model_version()
    if version is None:
        raise AirflowSkipException("no model version is promoted for scoring (cur model promote VERSION)")
    task = context["task"]
    task.config = with_model_version(task.config, version)


def publish_model_tags(context: Mapping[str, Any], result: object = None) -> None:
    """post_execute of a model task, once its Processing job has succeeded: what the network-isolated job cannot
    do itself, done as the MWAA execution role (cur_model.publish): the partition's manifest written from the
    features' manifest and the job's files, then the partition added to the catalog. Without it the mart, the serving
    load and the gate of its output do not see the model tags. Then, as runPipeline does, Layer Published on the
    platform bus for the oracle-replicator (best effort: a failure is logged and counted, never raised)."""
    job = Variable.get(SCORING_JOB_VARIABLE, deserialize_json=True)
    business_date = dt.date.fromisoformat(context["dag_run"].conf["businessDate"])
    published = publish_scored_partition(
        S3Hook(region_name=REGION).get_conn(),
        AwsBaseHook(client_type="glue", region_name=REGION).get_conn(),
        business_date=business_date,
        consumption_bucket=job["consumptionBucket"],
        system_bucket=job["systemBucket"],
        database_prefix=DATABASE_PREFIX,
        started_at=context["ti"].start_date or dt.datetime.now(dt.UTC),
    )
    log = context["task"].log
    log.info("published %s: %d scored, %d tagged", published.manifest_key, published.scored, published.tagged)
    events = AwsBaseHook(client_type="events", region_name=REGION).get_conn()
    cloudwatch = AwsBaseHook(client_type="cloudwatch", region_name=REGION).get_conn()
    publish_layer(events, cloudwatch, job["eventBus"], layer_published(published, business_date))


with DAG(
    dag_id="cur_pipeline",
    description="mask -> transform -> consumption -> mart -> serving, generated from the pipeline definition",
    schedule=None,
    start_date=pendulum.datetime(2026, 1, 1, tz="Asia/Taipei"),
    catchup=False,
    max_active_runs=1,
    default_args={
        "retries": 2,
        "retry_delay": timedelta(seconds=30),
        "retry_exponential_backoff": True,
        "execution_timeout": timedelta(minutes=60),
        "on_failure_callback": NOTIFY_FAILURE,
    },
    tags=["cur", "generated"],
) as dag:
    mask_customer_profile = GlueJobOperator(
        task_id="mask_customer_profile",
        doc_md="""decode, mask every column by policy, write Parquet, delete landing files (runs as SYSTEM)""",
        job_name=f"cur-{STAGE}-mask",
        script_args={"--dataset": "customer_profile", "--business-date": BUSINESS_DATE},
        region_name=REGION,
        wait_for_completion=True,
        deferrable=True,
    )
    dq_raw_customer_profile = DqGateOperator(
        task_id="dq_raw_customer_profile",
        doc_md="DQ gate: ruleset customer_profile_raw; a failed blocking rule stops what reads the dataset",
        datasource={
            "GlueTable": {
                "DatabaseName": f"{DATABASE_PREFIX}_raw",
                "TableName": "customer_profile",
                "AdditionalOptions": {"pushDownPredicate": BUSINESS_DATE_PARTITION},
            },
        },
        role="{{ var.value.cur_glue_dq_role_arn }}",
        rule_set_names=["customer_profile_raw"],
        severity_label=DQ_SEVERITY_LABEL,
        warning_severities=DQ_WARNING_SEVERITIES,
        retries=0,  # a failed rule is not transient: the local runner never retries it either
        region_name=REGION,
        deferrable=True,
    )
    mask_account_balance = GlueJobOperator(
        task_id="mask_account_balance",
        doc_md="""decode, mask every column by policy, write Parquet, delete landing files (runs as SYSTEM)""",
        job_name=f"cur-{STAGE}-mask",
        script_args={"--dataset": "account_balance", "--business-date": BUSINESS_DATE},
        region_name=REGION,
        wait_for_completion=True,
        deferrable=True,
    )
    mask_card_transaction = GlueJobOperator(
        task_id="mask_card_transaction",
        doc_md="""decode, mask every column by policy, write Parquet, delete landing files (runs as SYSTEM)""",
        job_name=f"cur-{STAGE}-mask",
        script_args={"--dataset": "card_transaction", "--business-date": BUSINESS_DATE},
        region_name=REGION,
        wait_for_completion=True,
        deferrable=True,
    )
    dq_raw_card_transaction = DqGateOperator(
        task_id="dq_raw_card_transaction",
        doc_md="DQ gate: ruleset card_transaction_raw; a failed blocking rule stops what reads the dataset",
        datasource={
            "GlueTable": {
                "DatabaseName": f"{DATABASE_PREFIX}_raw",
                "TableName": "card_transaction",
                "AdditionalOptions": {"pushDownPredicate": BUSINESS_DATE_PARTITION},
            },
        },
        role="{{ var.value.cur_glue_dq_role_arn }}",
        rule_set_names=["card_transaction_raw"],
        severity_label=DQ_SEVERITY_LABEL,
        warning_severities=DQ_WARNING_SEVERITIES,
        retries=0,  # a failed rule is not transient: the local runner never retries it either
        region_name=REGION,
        deferrable=True,
    )
    mask_digital_activity = GlueJobOperator(
        task_id="mask_digital_activity",
        doc_md="""decode, mask every column by policy, write Parquet, delete landing files (runs as SYSTEM)""",
        job_name=f"cur-{STAGE}-mask",
        script_args={"--dataset": "digital_activity", "--business-date": BUSINESS_DATE},
        region_name=REGION,
        wait_for_completion=True,
        deferrable=True,
    )
    transform_customer_profile = GlueJobOperator(
        task_id="transform_customer_profile",
        doc_md="""type, clean, conform, de-duplicate; reject with coded reasons (runs as PIPELINE)""",
        job_name=f"cur-{STAGE}-transform",
        script_args={"--dataset": "customer_profile", "--business-date": BUSINESS_DATE},
        region_name=REGION,
        wait_for_completion=True,
        deferrable=True,
    )
    dq_transformed_customer_profile = DqGateOperator(
        task_id="dq_transformed_customer_profile",
        doc_md="DQ gate: ruleset customer_profile_transformed; a failed blocking rule stops what reads the dataset",
        datasource={
            "GlueTable": {
                "DatabaseName": f"{DATABASE_PREFIX}_transformed",
                "TableName": "customer_profile",
                "AdditionalOptions": {"pushDownPredicate": BUSINESS_DATE_PARTITION},
            },
        },
        role="{{ var.value.cur_glue_dq_role_arn }}",
        rule_set_names=["customer_profile_transformed"],
        severity_label=DQ_SEVERITY_LABEL,
        warning_severities=DQ_WARNING_SEVERITIES,
        retries=0,  # a failed rule is not transient: the local runner never retries it either
        region_name=REGION,
        deferrable=True,
    )
    transform_account_balance = GlueJobOperator(
        task_id="transform_account_balance",
        doc_md="""type, clean, conform, de-duplicate; reject with coded reasons (runs as PIPELINE)""",
        job_name=f"cur-{STAGE}-transform",
        script_args={"--dataset": "account_balance", "--business-date": BUSINESS_DATE},
        region_name=REGION,
        wait_for_completion=True,
        deferrable=True,
    )
    dq_transformed_account_balance = DqGateOperator(
        task_id="dq_transformed_account_balance",
        doc_md="DQ gate: ruleset account_balance_transformed; a failed blocking rule stops what reads the dataset",
        datasource={
            "GlueTable": {
                "DatabaseName": f"{DATABASE_PREFIX}_transformed",
                "TableName": "account_balance",
                "AdditionalOptions": {"pushDownPredicate": BUSINESS_DATE_PARTITION},
            },
        },
        role="{{ var.value.cur_glue_dq_role_arn }}",
        rule_set_names=["account_balance_transformed"],
        severity_label=DQ_SEVERITY_LABEL,
        warning_severities=DQ_WARNING_SEVERITIES,
        retries=0,  # a failed rule is not transient: the local runner never retries it either
        region_name=REGION,
        deferrable=True,
    )
    transform_card_transaction = GlueJobOperator(
        task_id="transform_card_transaction",
        doc_md="""type, clean, conform, de-duplicate; reject with coded reasons (runs as PIPELINE)""",
        job_name=f"cur-{STAGE}-transform",
        script_args={"--dataset": "card_transaction", "--business-date": BUSINESS_DATE},
        region_name=REGION,
        wait_for_completion=True,
        deferrable=True,
    )
    dq_transformed_card_transaction = DqGateOperator(
        task_id="dq_transformed_card_transaction",
        doc_md="DQ gate: ruleset card_transaction_transformed; a failed blocking rule stops what reads the dataset",
        datasource={
            "GlueTable": {
                "DatabaseName": f"{DATABASE_PREFIX}_transformed",
                "TableName": "card_transaction",
                "AdditionalOptions": {"pushDownPredicate": BUSINESS_DATE_PARTITION},
            },
        },
        role="{{ var.value.cur_glue_dq_role_arn }}",
        rule_set_names=["card_transaction_transformed"],
        severity_label=DQ_SEVERITY_LABEL,
        warning_severities=DQ_WARNING_SEVERITIES,
        retries=0,  # a failed rule is not transient: the local runner never retries it either
        region_name=REGION,
        deferrable=True,
    )
    transform_digital_activity = GlueJobOperator(
        task_id="transform_digital_activity",
        doc_md="""type, clean, conform, de-duplicate; reject with coded reasons (runs as PIPELINE)""",
        job_name=f"cur-{STAGE}-transform",
        script_args={"--dataset": "digital_activity", "--business-date": BUSINESS_DATE},
        region_name=REGION,
        wait_for_completion=True,
        deferrable=True,
    )
    dq_transformed_digital_activity = DqGateOperator(
        task_id="dq_transformed_digital_activity",
        doc_md="DQ gate: ruleset digital_activity_transformed; a failed blocking rule stops what reads the dataset",
        datasource={
            "GlueTable": {
                "DatabaseName": f"{DATABASE_PREFIX}_transformed",
                "TableName": "digital_activity",
                "AdditionalOptions": {"pushDownPredicate": BUSINESS_DATE_PARTITION},
            },
        },
        role="{{ var.value.cur_glue_dq_role_arn }}",
        rule_set_names=["digital_activity_transformed"],
        severity_label=DQ_SEVERITY_LABEL,
        warning_severities=DQ_WARNING_SEVERITIES,
        retries=0,  # a failed rule is not transient: the local runner never retries it either
        region_name=REGION,
        deferrable=True,
    )
    consumption = GlueJobOperator(
        task_id="consumption",
        doc_md="""customer features, segments and rule-based tags (DRV tables) (runs as PIPELINE)""",
        job_name=f"cur-{STAGE}-consumption",
        script_args={"--business-date": BUSINESS_DATE},
        region_name=REGION,
        wait_for_completion=True,
        deferrable=True,
    )
    dq_consumption_customer_features = DqGateOperator(
        task_id="dq_consumption_customer_features",
        doc_md="DQ gate: ruleset customer_features_consumption; a failed blocking rule stops what reads the dataset",
        datasource={
            "GlueTable": {
                "DatabaseName": f"{DATABASE_PREFIX}_consumption",
                "TableName": "customer_features",
                "AdditionalOptions": {"pushDownPredicate": BUSINESS_DATE_PARTITION},
            },
        },
        role="{{ var.value.cur_glue_dq_role_arn }}",
        rule_set_names=["customer_features_consumption"],
        severity_label=DQ_SEVERITY_LABEL,
        warning_severities=DQ_WARNING_SEVERITIES,
        retries=0,  # a failed rule is not transient: the local runner never retries it either
        region_name=REGION,
        deferrable=True,
    )
    dq_consumption_customer_tags = DqGateOperator(
        task_id="dq_consumption_customer_tags",
        doc_md="DQ gate: ruleset customer_tags_consumption; a failed blocking rule stops what reads the dataset",
        datasource={
            "GlueTable": {
                "DatabaseName": f"{DATABASE_PREFIX}_consumption",
                "TableName": "customer_tags",
                "AdditionalOptions": {"pushDownPredicate": BUSINESS_DATE_PARTITION},
            },
        },
        role="{{ var.value.cur_glue_dq_role_arn }}",
        rule_set_names=["customer_tags_consumption"],
        severity_label=DQ_SEVERITY_LABEL,
        warning_severities=DQ_WARNING_SEVERITIES,
        retries=0,  # a failed rule is not transient: the local runner never retries it either
        region_name=REGION,
        deferrable=True,
    )
    score = SageMakerProcessingOperator(
        task_id="score",
        doc_md="""model tags: the promoted model version tags each customer it scores at or above its threshold""",
        config={
            "ProcessingJobName": f"cur-{STAGE}-score-" + "{{ dag_run.conf['businessDate'] | replace('-', '') }}",
            "RoleArn": "{{ var.json.cur_scoring_job.roleArn }}",
            "AppSpecification": {
                "ImageUri": "{{ var.json.cur_scoring_job.imageUri }}",
                "ContainerEntrypoint": ["python3", "-m", "cur_model.score"],
                "ContainerArguments": [
                    "--model-dir",
                    f"{PROCESSING}/model",
                    "--version-id",
                    PROMOTED_MODEL_VERSION,
                    "--features",
                    f"{PROCESSING}/input",
                    "--output",
                    f"{PROCESSING}/output/part-{PROMOTED_MODEL_VERSION}.parquet",
                ],
            },
            "Environment": {"PYTHONPATH": f"{PROCESSING}/code"},
            "ProcessingInputs": [
                processing_input("code", s3_folder("system", "model-history/code/"), f"{PROCESSING}/code"),
                processing_input(
                    "model",
                    s3_folder("system", f"model-history/artefacts/{PROMOTED_MODEL_VERSION}/output/"),
                    f"{PROCESSING}/model",
                ),
                processing_input(
                    "customer_features",
                    s3_folder("consumption", "customer_features/" + PARTITION),
                    f"{PROCESSING}/input",
                ),
            ],
            "ProcessingOutputConfig": {
                "Outputs": [
                    {
                        "OutputName": "model_tags",
                        "S3Output": {
                            "S3Uri": s3_folder("consumption", "model_tags/" + PARTITION),
                            "LocalPath": f"{PROCESSING}/output",
                            "S3UploadMode": "EndOfJob",
                        },
                    }
                ],
                "KmsKeyId": "{{ var.json.cur_scoring_job.kmsKeyArn }}",
            },
            "ProcessingResources": {
                "ClusterConfig": {
                    "InstanceCount": 1,
                    "InstanceType": "ml.m5.large",
                    "VolumeSizeInGB": 30,
                    "VolumeKmsKeyId": "{{ var.json.cur_scoring_job.kmsKeyArn }}",
                }
            },
            "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
            "NetworkConfig": {"EnableNetworkIsolation": True},
        },
        pre_execute=apply_promoted_model,
        post_execute=publish_model_tags,
        wait_for_completion=True,
        deferrable=True,
        region_name=REGION,
    )
    dq_consumption_model_tags = DqGateOperator(
        task_id="dq_consumption_model_tags",
        doc_md="DQ gate: ruleset model_tags_consumption; a failed blocking rule stops what reads the dataset",
        datasource={
            "GlueTable": {
                "DatabaseName": f"{DATABASE_PREFIX}_consumption",
                "TableName": "model_tags",
                "AdditionalOptions": {"pushDownPredicate": BUSINESS_DATE_PARTITION},
            },
        },
        role="{{ var.value.cur_glue_dq_role_arn }}",
        rule_set_names=["model_tags_consumption"],
        severity_label=DQ_SEVERITY_LABEL,
        warning_severities=DQ_WARNING_SEVERITIES,
        retries=0,  # a failed rule is not transient: the local runner never retries it either
        region_name=REGION,
        deferrable=True,
    )
    mart = GlueJobOperator(
        task_id="mart",
        doc_md="""tag and segment metrics by branch and month, month-over-month change (runs as PIPELINE)""",
        job_name=f"cur-{STAGE}-mart",
        script_args={"--business-date": BUSINESS_DATE},
        region_name=REGION,
        wait_for_completion=True,
        deferrable=True,
        trigger_rule="none_failed",
    )
    serving = LambdaInvokeFunctionOperator(
        task_id="serving",
        doc_md="""load tags, features and segment metrics into the serving store, switched atomically""",
        function_name=f"cur-{STAGE}-serving-load",
        payload=json.dumps({"step": "serving", "businessDate": BUSINESS_DATE}),
        region_name=REGION,
        trigger_rule="none_failed",
    )

    mask_customer_profile >> dq_raw_customer_profile
    mask_card_transaction >> dq_raw_card_transaction
    dq_raw_customer_profile >> transform_customer_profile
    transform_customer_profile >> dq_transformed_customer_profile
    mask_account_balance >> transform_account_balance
    transform_account_balance >> dq_transformed_account_balance
    dq_raw_card_transaction >> transform_card_transaction
    transform_card_transaction >> dq_transformed_card_transaction
    mask_digital_activity >> transform_digital_activity
    transform_digital_activity >> dq_transformed_digital_activity
    dq_transformed_customer_profile >> consumption
    dq_transformed_account_balance >> consumption
    dq_transformed_card_transaction >> consumption
    dq_transformed_digital_activity >> consumption
    consumption >> dq_consumption_customer_features
    consumption >> dq_consumption_customer_tags
    dq_consumption_customer_features >> score
    score >> dq_consumption_model_tags
    dq_consumption_customer_features >> mart
    dq_consumption_customer_tags >> mart
    dq_consumption_model_tags >> mart
    dq_consumption_customer_features >> serving
    dq_consumption_customer_tags >> serving
    dq_consumption_model_tags >> serving
    mart >> serving
