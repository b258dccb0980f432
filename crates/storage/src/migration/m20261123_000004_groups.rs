//! Host groups: static and dynamic, nesting, materialized direct membership and its history.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum HostGroups {
    Table,
    Id,
    Name,
    Description,
    Kind,
    RuleText,
    Rule,
    Variables,
    CreatedBy,
    UpdatedBy,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum GroupChildren {
    Table,
    ParentId,
    ChildId,
}

#[derive(DeriveIden)]
enum GroupMembers {
    Table,
    GroupId,
    HostId,
    Since,
}

#[derive(DeriveIden)]
enum GroupMembershipEvents {
    Table,
    Id,
    GroupId,
    HostId,
    HostName,
    At,
    Change,
    Reason,
}

fn ts(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(HostGroups::Table)
                .col(
                    ColumnDef::new(HostGroups::Id)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(HostGroups::Name).string().not_null())
                .col(
                    ColumnDef::new(HostGroups::Description)
                        .string()
                        .not_null()
                        .default(""),
                )
                .col(ColumnDef::new(HostGroups::Kind).string().not_null())
                .col(ColumnDef::new(HostGroups::RuleText).text().null())
                .col(ColumnDef::new(HostGroups::Rule).json().null())
                .col(ColumnDef::new(HostGroups::Variables).json().not_null())
                .col(ColumnDef::new(HostGroups::CreatedBy).uuid().null())
                .col(ColumnDef::new(HostGroups::UpdatedBy).uuid().null())
                .col(ts(HostGroups::CreatedAt))
                .col(ts(HostGroups::UpdatedAt))
                .col(
                    ColumnDef::new(HostGroups::Version)
                        .big_integer()
                        .not_null()
                        .default(1),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_host_groups_name")
                .table(HostGroups::Table)
                .col(HostGroups::Name)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(GroupChildren::Table)
                .col(ColumnDef::new(GroupChildren::ParentId).uuid().not_null())
                .col(ColumnDef::new(GroupChildren::ChildId).uuid().not_null())
                .primary_key(
                    Index::create()
                        .col(GroupChildren::ParentId)
                        .col(GroupChildren::ChildId),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_group_children_child")
                .table(GroupChildren::Table)
                .col(GroupChildren::ChildId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(GroupMembers::Table)
                .col(ColumnDef::new(GroupMembers::GroupId).uuid().not_null())
                .col(ColumnDef::new(GroupMembers::HostId).uuid().not_null())
                .col(ts(GroupMembers::Since))
                .primary_key(
                    Index::create()
                        .col(GroupMembers::GroupId)
                        .col(GroupMembers::HostId),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_group_members_host")
                .table(GroupMembers::Table)
                .col(GroupMembers::HostId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(GroupMembershipEvents::Table)
                .col(
                    ColumnDef::new(GroupMembershipEvents::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(GroupMembershipEvents::GroupId)
                        .uuid()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(GroupMembershipEvents::HostId)
                        .uuid()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(GroupMembershipEvents::HostName)
                        .string()
                        .not_null(),
                )
                .col(ts(GroupMembershipEvents::At))
                .col(
                    ColumnDef::new(GroupMembershipEvents::Change)
                        .string()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(GroupMembershipEvents::Reason)
                        .string()
                        .not_null(),
                )
                .to_owned(),
        )
        .await?;
        for (name, col) in [
            ("ix_membership_events_group", GroupMembershipEvents::GroupId),
            ("ix_membership_events_host", GroupMembershipEvents::HostId),
        ] {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(GroupMembershipEvents::Table)
                    .col(col)
                    .col(GroupMembershipEvents::At)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            GroupMembershipEvents::Table.into_iden(),
            GroupMembers::Table.into_iden(),
            GroupChildren::Table.into_iden(),
            HostGroups::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
