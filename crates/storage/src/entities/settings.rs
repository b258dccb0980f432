use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "settings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i32,
    pub session_idle_timeout_minutes: i32,
    pub session_absolute_lifetime_hours: i32,
    pub audit_retention_days: i32,
    pub run_retention_days: Option<i64>,
    pub runs_kept_per_playbook: Option<i64>,
    pub run_logs_max_mb: Option<i64>,
    pub updated_at: DateTimeUtc,
    pub version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
