//! Rooms: one row per hosted room, seeded from scene files.

use stadtlab_shared::scene::Scene;

use super::{Storage, StorageError, unix_now};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomRow {
    pub name: String,
    pub scene: String,
    pub title_de: String,
    pub title_en: String,
    pub capacity: u32,
}

impl Storage {
    /// Creates or refreshes the room that shows `scene` under the scene's own name.
    pub async fn upsert_room_for_scene(&self, scene: &Scene) -> Result<(), StorageError> {
        let now = unix_now();
        sqlx::query(
            "INSERT INTO rooms (name, scene, title_de, title_en, capacity, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6) \
             ON CONFLICT (name) DO UPDATE SET scene = $2, title_de = $3, title_en = $4, capacity = $5, updated_at = $6",
        )
        .bind(&scene.name)
        .bind(&scene.name)
        .bind(&scene.title.de)
        .bind(&scene.title.en)
        .bind(scene.capacity as i64)
        .bind(now)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    pub async fn rooms(&self) -> Result<Vec<RoomRow>, StorageError> {
        let rows: Vec<(String, String, String, String, i64)> = sqlx::query_as(
            "SELECT name, scene, title_de, title_en, capacity FROM rooms ORDER BY name",
        )
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(name, scene, title_de, title_en, capacity)| RoomRow {
                name,
                scene,
                title_de,
                title_en,
                capacity: capacity.clamp(0, u32::MAX as i64) as u32,
            })
            .collect())
    }
}
