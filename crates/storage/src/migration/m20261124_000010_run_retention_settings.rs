//! Run retention on the Settings page: three nullable columns; NULL means "as configured"
//! (`ITMGR_RUN_RETENTION_DAYS` and friends), so an upgrade keeps what the configuration said.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Settings {
    Table,
    RunRetentionDays,
    RunsKeptPerPlaybook,
    RunLogsMaxMb,
}

const COLUMNS: [Settings; 3] = [
    Settings::RunRetentionDays,
    Settings::RunsKeptPerPlaybook,
    Settings::RunLogsMaxMb,
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        for column in COLUMNS {
            m.alter_table(
                Table::alter()
                    .table(Settings::Table)
                    .add_column(ColumnDef::new(column).big_integer().null())
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in COLUMNS {
            m.alter_table(
                Table::alter()
                    .table(Settings::Table)
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
