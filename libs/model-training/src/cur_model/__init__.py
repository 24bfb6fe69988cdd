"""The SageMaker training job of CUR Customer Tagging 2.0: a tag propensity model on masked customer features."""
