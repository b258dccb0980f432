use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "host_status_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub host_id: Uuid,
    pub at: DateTimeUtc,
    pub status: String,
    pub previous: String,
    pub method: String,
    pub latency_ms: Option<f64>,
    pub error: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
