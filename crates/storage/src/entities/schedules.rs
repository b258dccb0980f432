use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "schedules")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub playbook_id: Uuid,
    pub name: String,
    pub cron: Option<String>,
    pub interval_seconds: Option<i64>,
    pub timezone: String,
    pub enabled: bool,
    pub ends_at: Option<DateTimeUtc>,
    pub overrides: Json,
    pub overlap: String,
    pub missed: String,
    pub next_fire_at: Option<DateTimeUtc>,
    pub last_fired_at: Option<DateTimeUtc>,
    pub last_run_id: Option<Uuid>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
