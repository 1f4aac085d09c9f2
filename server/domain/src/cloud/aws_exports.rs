//! Billing exports delivered to S3 (`--usage-s3-url`, with the AWS gateway): the bucket and
//! prefix AWS writes the Cost and Usage Report or FOCUS export to, listed and read through the
//! SDK.

use aws_sdk_s3::error::DisplayErrorContext;
use portico_shared::billing::is_report_name;
use tokio::io::AsyncWriteExt;

use crate::cloud::gateway::Export;
use crate::error::{Error, Result};

/// Where the exports arrive: `s3://bucket/prefix`.
pub struct ExportBucket {
    client: aws_sdk_s3::Client,
    bucket: String,
    prefix: String,
}

fn failed(operation: &str, error: impl std::error::Error) -> Error {
    Error::Internal(anyhow::anyhow!("{operation}: {}", DisplayErrorContext(error)))
}

impl ExportBucket {
    /// The bucket of `url` (`s3://bucket` or `s3://bucket/prefix/`), reached with `config`.
    pub fn new(config: &aws_config::SdkConfig, url: &str) -> anyhow::Result<ExportBucket> {
        let rest = url
            .strip_prefix("s3://")
            .ok_or_else(|| anyhow::anyhow!("the usage export location {url:?} is not an s3:// URL"))?;
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            anyhow::bail!("the usage export location {url:?} names no bucket");
        }
        // A server standing in for S3 on its own address (the tests' moto) has no bucket
        // subdomains: address the bucket in the path there.
        let s3 = aws_sdk_s3::config::Builder::from(config).force_path_style(config.endpoint_url().is_some()).build();
        Ok(ExportBucket {
            client: aws_sdk_s3::Client::from_conf(s3),
            bucket: bucket.to_owned(),
            prefix: prefix.to_owned(),
        })
    }

    /// Every report file under the prefix (`s3:ListObjectsV2`); manifests and other files are
    /// left alone.
    pub async fn exports(&self) -> Result<Vec<Export>> {
        let mut pages = self.client.list_objects_v2().bucket(&self.bucket).prefix(&self.prefix).into_paginator().send();
        let mut exports = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| failed("s3:ListObjectsV2", e))?;
            for object in page.contents() {
                let Some(key) = object.key() else { continue };
                let name = key.rsplit('/').next().unwrap_or(key);
                if !is_report_name(name) {
                    continue;
                }
                exports.push(Export {
                    location: format!("s3://{}/{key}", self.bucket),
                    name: name.to_owned(),
                    bytes: object.size().and_then(|size| u64::try_from(size).ok()).unwrap_or(0),
                    version: object.e_tag().unwrap_or_default().trim_matches('"').to_owned(),
                });
            }
        }
        Ok(exports)
    }

    /// Streams one export into `to` (`s3:GetObject`), the version listed or none.
    pub async fn fetch(&self, export: &Export, to: &std::path::Path) -> Result<u64> {
        let key = export
            .location
            .strip_prefix(&format!("s3://{}/", self.bucket))
            .ok_or_else(|| Error::Internal(anyhow::anyhow!("{} is not in this bucket", export.location)))?;
        let mut object = self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(key)
            .if_match(format!("\"{}\"", export.version))
            .send()
            .await
            .map_err(|e| failed("s3:GetObject", e))?;
        let mut file = tokio::fs::File::create(to).await.map_err(anyhow::Error::from)?;
        let mut written = 0;
        while let Some(chunk) = object.body.try_next().await.map_err(anyhow::Error::from)? {
            file.write_all(&chunk).await.map_err(anyhow::Error::from)?;
            written += chunk.len() as u64;
        }
        file.sync_all().await.map_err(anyhow::Error::from)?;
        Ok(written)
    }
}
