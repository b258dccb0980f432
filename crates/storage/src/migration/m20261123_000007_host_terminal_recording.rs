//! Per-host override of terminal recording (`default`, `on`, `off`).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Hosts {
    Table,
    TerminalRecording,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Hosts::Table)
                .add_column(
                    ColumnDef::new(Hosts::TerminalRecording)
                        .string_len(16)
                        .not_null()
                        .default("default"),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Hosts::Table)
                .drop_column(Hosts::TerminalRecording)
                .to_owned(),
        )
        .await
    }
}
