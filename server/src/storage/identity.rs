//! The server identity: its netcode private key, generated on first start.

use rand::RngCore;

use super::{Storage, StorageError, unix_now};

/// The 32-byte key that encrypts connect tokens. Debug output never shows it.
#[derive(Clone)]
pub struct NetcodeKey(pub [u8; 32]);

impl std::fmt::Debug for NetcodeKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NetcodeKey(..)")
    }
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn from_hex(text: &str) -> Option<[u8; 32]> {
    if text.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

impl Storage {
    /// Loads the netcode key, creating it on first start.
    pub async fn netcode_key(&self) -> Result<NetcodeKey, StorageError> {
        if let Some(key) = self.load_key().await? {
            return Ok(key);
        }
        let mut key = [0u8; 32];
        rand::rng().fill_bytes(&mut key);
        // Two servers starting at once on one database: the first insert wins, both read it.
        let _ = sqlx::query(
            "INSERT INTO server_identity (id, netcode_key, created_at) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING",
        )
        .bind(to_hex(&key))
        .bind(unix_now())
        .execute(self.pool())
        .await?;
        self.load_key()
            .await?
            .ok_or_else(|| StorageError::Corrupt("server identity vanished".into()))
    }

    async fn load_key(&self) -> Result<Option<NetcodeKey>, StorageError> {
        let row: Option<(String,)> =
            sqlx::query_as("SELECT netcode_key FROM server_identity WHERE id = 1")
                .fetch_optional(self.pool())
                .await?;
        match row {
            None => Ok(None),
            Some((hex,)) => from_hex(&hex).map(|k| Some(NetcodeKey(k))).ok_or_else(|| {
                StorageError::Corrupt("server_identity.netcode_key is not 64 hex digits".into())
            }),
        }
    }
}
