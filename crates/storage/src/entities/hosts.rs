use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "hosts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    pub address: String,
    pub port: i32,
    pub os: Option<String>,
    pub environment: Option<String>,
    pub description: String,
    pub tags: Json,
    pub credential_id: Option<Uuid>,
    pub check_method: Option<String>,
    pub status: String,
    pub last_check_at: Option<DateTimeUtc>,
    pub latency_ms: Option<f64>,
    pub last_error: Option<String>,
    pub host_key: Option<String>,
    pub host_key_fingerprint: Option<String>,
    pub created_by: Option<Uuid>,
    pub updated_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i64,
    pub legacy_ssh: bool,
    pub terminal_recording: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
