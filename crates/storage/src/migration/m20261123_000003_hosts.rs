//! The host inventory: hosts, their tags (a side table so `tag key=value` filters use an index on
//! both engines), status transitions, and the inventory settings row.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone)]
enum Hosts {
    Table,
    Id,
    Name,
    Address,
    Port,
    Os,
    Environment,
    Description,
    Tags,
    CredentialId,
    CheckMethod,
    Status,
    LastCheckAt,
    LatencyMs,
    LastError,
    HostKey,
    HostKeyFingerprint,
    CreatedBy,
    UpdatedBy,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum HostTags {
    Table,
    HostId,
    Key,
    Value,
}

#[derive(DeriveIden)]
enum HostStatusEvents {
    Table,
    Id,
    HostId,
    At,
    Status,
    Previous,
    Method,
    LatencyMs,
    Error,
}

#[derive(DeriveIden)]
enum InventorySettings {
    Table,
    Id,
    Data,
    UpdatedAt,
    Version,
}

fn ts(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

fn ts_null(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .null()
        .to_owned()
}

fn index(name: &str, table: impl IntoIden + Clone, cols: &[Hosts]) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(table);
    for c in cols {
        i.col(c.clone());
    }
    i.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Hosts::Table)
                .col(ColumnDef::new(Hosts::Id).uuid().not_null().primary_key())
                .col(ColumnDef::new(Hosts::Name).string().not_null())
                .col(ColumnDef::new(Hosts::Address).string().not_null())
                .col(ColumnDef::new(Hosts::Port).integer().not_null().default(22))
                .col(ColumnDef::new(Hosts::Os).string().null())
                .col(ColumnDef::new(Hosts::Environment).string().null())
                .col(
                    ColumnDef::new(Hosts::Description)
                        .string()
                        .not_null()
                        .default(""),
                )
                .col(ColumnDef::new(Hosts::Tags).json().not_null())
                .col(ColumnDef::new(Hosts::CredentialId).uuid().null())
                // NULL: use the default method from the inventory settings.
                .col(ColumnDef::new(Hosts::CheckMethod).string().null())
                .col(
                    ColumnDef::new(Hosts::Status)
                        .string()
                        .not_null()
                        .default("unknown"),
                )
                .col(ts_null(Hosts::LastCheckAt))
                .col(ColumnDef::new(Hosts::LatencyMs).double().null())
                .col(ColumnDef::new(Hosts::LastError).string().null())
                .col(ColumnDef::new(Hosts::HostKey).text().null())
                .col(ColumnDef::new(Hosts::HostKeyFingerprint).string().null())
                .col(ColumnDef::new(Hosts::CreatedBy).uuid().null())
                .col(ColumnDef::new(Hosts::UpdatedBy).uuid().null())
                .col(ts(Hosts::CreatedAt))
                .col(ts(Hosts::UpdatedAt))
                .col(
                    ColumnDef::new(Hosts::Version)
                        .big_integer()
                        .not_null()
                        .default(1),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            index("ux_hosts_name", Hosts::Table, &[Hosts::Name])
                .unique()
                .to_owned(),
        )
        .await?;
        for (name, cols) in [
            ("ix_hosts_address", vec![Hosts::Address]),
            ("ix_hosts_status", vec![Hosts::Status, Hosts::Name]),
            (
                "ix_hosts_environment",
                vec![Hosts::Environment, Hosts::Name],
            ),
            ("ix_hosts_os", vec![Hosts::Os, Hosts::Name]),
            ("ix_hosts_credential", vec![Hosts::CredentialId]),
            ("ix_hosts_last_check", vec![Hosts::LastCheckAt]),
            ("ix_hosts_created", vec![Hosts::CreatedAt]),
            // Covers the facet counts (one index-only scan per list request).
            (
                "ix_hosts_facets",
                vec![Hosts::Status, Hosts::Environment, Hosts::Os, Hosts::Id],
            ),
        ] {
            m.create_index(index(name, Hosts::Table, &cols)).await?;
        }

        m.create_table(
            Table::create()
                .table(HostTags::Table)
                .col(ColumnDef::new(HostTags::HostId).uuid().not_null())
                .col(ColumnDef::new(HostTags::Key).string().not_null())
                .col(ColumnDef::new(HostTags::Value).string().not_null())
                .primary_key(Index::create().col(HostTags::HostId).col(HostTags::Key))
                .foreign_key(
                    ForeignKey::create()
                        .from(HostTags::Table, HostTags::HostId)
                        .to(Hosts::Table, Hosts::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_host_tags_key_value")
                .table(HostTags::Table)
                .col(HostTags::Key)
                .col(HostTags::Value)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(HostStatusEvents::Table)
                .col(
                    ColumnDef::new(HostStatusEvents::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(HostStatusEvents::HostId).uuid().not_null())
                .col(ts(HostStatusEvents::At))
                .col(ColumnDef::new(HostStatusEvents::Status).string().not_null())
                .col(
                    ColumnDef::new(HostStatusEvents::Previous)
                        .string()
                        .not_null(),
                )
                .col(ColumnDef::new(HostStatusEvents::Method).string().not_null())
                .col(ColumnDef::new(HostStatusEvents::LatencyMs).double().null())
                .col(ColumnDef::new(HostStatusEvents::Error).string().null())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_host_status_events_host_at")
                .table(HostStatusEvents::Table)
                .col(HostStatusEvents::HostId)
                .col(HostStatusEvents::At)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_host_status_events_at")
                .table(HostStatusEvents::Table)
                .col(HostStatusEvents::At)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(InventorySettings::Table)
                .col(
                    ColumnDef::new(InventorySettings::Id)
                        .integer()
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(InventorySettings::Data).json().not_null())
                .col(ts(InventorySettings::UpdatedAt))
                .col(
                    ColumnDef::new(InventorySettings::Version)
                        .big_integer()
                        .not_null()
                        .default(1),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            InventorySettings::Table.into_iden(),
            HostStatusEvents::Table.into_iden(),
            HostTags::Table.into_iden(),
            Hosts::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
