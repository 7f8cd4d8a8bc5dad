//! The blob store: exhibit models, thumbnails and images, content-addressed by SHA-256.
//!
//! A local folder by default (`<data>/blobs`), any S3-compatible store by URL
//! (`s3://bucket/prefix`, credentials from the usual `AWS_*` variables), both through the
//! `object_store` crate. Writes are atomic (the local store writes a temporary file and renames
//! it), and a database row refers to a blob only after the blob is complete.

use std::path::Path;
use std::sync::Arc;

use bytes::Bytes;
use object_store::path::Path as StorePath;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use sha2::{Digest, Sha256};

#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    #[error("blob store: {0}")]
    Store(#[from] object_store::Error),
    #[error("blob store URL `{url}`: {reason}")]
    Url { url: String, reason: String },
    #[error("blob folder {path}: {source}")]
    Folder {
        path: String,
        source: std::io::Error,
    },
}

#[derive(Clone, Debug)]
pub struct Blobs {
    store: Arc<dyn ObjectStore>,
}

/// The key of `bytes`: its SHA-256 in hex, with a file extension for people reading listings.
pub fn key_for(bytes: &[u8], extension: &str) -> String {
    format!("{}.{extension}", hex::encode(Sha256::digest(bytes)))
}

/// Whether `key` has the shape [`key_for`] makes (so a request can never name another path).
pub fn is_key(key: &str) -> bool {
    match key.split_once('.') {
        Some((hash, ext)) => {
            hash.len() == 64
                && hash
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
                && (1..=8).contains(&ext.len())
                && ext
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        }
        None => false,
    }
}

impl Blobs {
    /// Opens the store at `url`, or the folder `<data_dir>/blobs` without one.
    pub fn open(url: Option<&str>, data_dir: &Path) -> Result<Blobs, BlobError> {
        let store: Arc<dyn ObjectStore> = match url {
            None => {
                let dir = data_dir.join("blobs");
                std::fs::create_dir_all(&dir).map_err(|source| BlobError::Folder {
                    path: dir.display().to_string(),
                    source,
                })?;
                Arc::new(object_store::local::LocalFileSystem::new_with_prefix(&dir)?)
            }
            Some(url) => {
                let parsed = url::Url::parse(url).map_err(|e| BlobError::Url {
                    url: url.into(),
                    reason: e.to_string(),
                })?;
                let options = std::env::vars()
                    .filter(|(k, _)| k.starts_with("AWS_"))
                    .map(|(k, v)| (k.to_ascii_lowercase(), v));
                let (store, prefix) = object_store::parse_url_opts(&parsed, options)?;
                Arc::new(object_store::prefix::PrefixStore::new(store, prefix))
            }
        };
        Ok(Blobs { store })
    }

    /// Stores `bytes` under their hash and returns the key (a no-op when already stored).
    pub async fn put(&self, bytes: Bytes, extension: &str) -> Result<String, BlobError> {
        let key = key_for(&bytes, extension);
        let path = StorePath::from(key.as_str());
        if self.store.head(&path).await.is_err() {
            self.store.put(&path, PutPayload::from(bytes)).await?;
        }
        Ok(key)
    }

    pub async fn get(&self, key: &str) -> Result<Bytes, BlobError> {
        Ok(self.store.get(&StorePath::from(key)).await?.bytes().await?)
    }

    /// Deletes blobs no exhibit refers to (left by a crash between storing the files and
    /// writing the row) that were written before `cutoff`; returns how many went. Younger
    /// ones may belong to an upload still on its way (of this server, or of another room
    /// server sharing the bucket), and objects whose names are not content keys of ours are
    /// never touched.
    pub async fn remove_orphans(
        &self,
        referenced: &[String],
        cutoff: std::time::SystemTime,
    ) -> Result<usize, BlobError> {
        use futures_util::TryStreamExt;
        let cutoff = cutoff
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        let metas: Vec<object_store::ObjectMeta> = self.store.list(None).try_collect().await?;
        let mut removed = 0;
        for meta in metas {
            let key = meta.location.as_ref();
            if !is_key(key) || meta.last_modified.timestamp() >= cutoff {
                continue;
            }
            if !referenced.iter().any(|r| r.as_str() == key) {
                self.store.delete(&meta.location).await?;
                removed += 1;
            }
        }
        Ok(removed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_hashes_and_nothing_else() {
        let key = key_for(b"hello", "glb");
        assert!(is_key(&key));
        assert!(!is_key("../secret.glb"));
        assert!(!is_key(&key.replace(".glb", "./x")));
        assert!(!is_key(&key.to_uppercase()));
    }

    #[tokio::test]
    async fn a_local_store_keeps_and_cleans() {
        let dir = tempfile::tempdir().unwrap();
        let blobs = Blobs::open(None, dir.path()).unwrap();
        let a = blobs
            .put(Bytes::from_static(b"model"), "glb")
            .await
            .unwrap();
        let b = blobs
            .put(Bytes::from_static(b"orphan"), "png")
            .await
            .unwrap();
        std::fs::write(dir.path().join("blobs/not-ours.txt"), b"x").unwrap();
        assert_eq!(blobs.get(&a).await.unwrap(), Bytes::from_static(b"model"));
        let referenced = std::slice::from_ref(&a);
        let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        // Young orphans may be an upload on its way: kept.
        assert_eq!(
            blobs.remove_orphans(referenced, an_hour_ago).await.unwrap(),
            0
        );
        assert!(blobs.get(&b).await.is_ok());
        let later = std::time::SystemTime::now() + std::time::Duration::from_secs(2);
        assert_eq!(blobs.remove_orphans(referenced, later).await.unwrap(), 1);
        assert!(blobs.get(&b).await.is_err());
        assert!(blobs.get(&a).await.is_ok());
        assert!(dir.path().join("blobs/not-ours.txt").exists());
    }
}
