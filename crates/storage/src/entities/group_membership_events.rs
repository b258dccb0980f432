use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "group_membership_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub group_id: Uuid,
    pub host_id: Uuid,
    pub host_name: String,
    pub at: DateTimeUtc,
    pub change: String,
    pub reason: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
